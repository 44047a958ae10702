import type { MessageKey } from "../../i18n/i18n";

/**
 * The words for a fact that may be unknown: `null` means the source (the MDM, or the fleet
 * file) could not report it. It is shown as "Unknown", never as "No".
 */
export function factKey(value: boolean | null): MessageKey {
  if (value === null) return "detail.unknown";
  return value ? "detail.yes" : "detail.no";
}
