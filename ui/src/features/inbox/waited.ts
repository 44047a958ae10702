import type { I18n } from "../../i18n/i18n";

/** "4 min", "1 h 05 min", "2 d 3 h": how long a user has waited. */
export function formatWaited(t: I18n["t"], seconds: number): string {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor(minutes / 60) % 24;
  if (days > 0) return t("inbox.waitedDays", { days: String(days), hours: String(hours) });
  if (hours > 0) return t("inbox.waitedHours", { hours: String(hours), minutes: String(minutes % 60).padStart(2, "0") });
  return t("inbox.waitedMinutes", { minutes: String(minutes) });
}
