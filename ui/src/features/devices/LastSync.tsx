import { useEffect, useState } from "react";
import type { SyncStatus } from "../../bindings/SyncStatus";
import { useI18n } from "../../i18n/context";
import { ipc } from "../../ipc";

/** How often the line is read again: background syncs run every few minutes. */
const REFRESH_MS = 60_000;

interface Props {
  /** Changes after each sync from this window, so the line is read again at once. */
  refreshKey: number;
}

/** "Last sync: 09:15 (incremental, ok)": when the last devices sync ran and how it ended,
 * whichever process ran it (this window, its background sync, or `devices sync --every`). */
export function LastSync({ refreshKey }: Props) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  useEffect(() => {
    let live = true;
    const read = () => {
      ipc.syncStatus().then(
        (s) => {
          if (live) setStatus(s);
        },
        () => undefined,
      );
    };
    read();
    const timer = window.setInterval(read, REFRESH_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [refreshKey]);
  if (!status?.syncable) return null;
  const failed = status.last_outcome === "failed";
  const text =
    status.last_run_at === null
      ? t("sync.last.never")
      : t("sync.last.at", {
          at: formatDateTime(status.last_run_at),
          mode: t(status.last_mode === "incremental" ? "sync.last.incremental" : "sync.last.full"),
          outcome: t(
            failed ? "sync.last.failed" : status.last_outcome === "cancelled" ? "sync.last.cancelled" : "sync.last.ok",
          ),
          devices: formatNumber(status.last_devices),
        });
  return (
    <span className={failed ? "sync__last sync__last--failed" : "sync__last muted"} data-testid="sync-last" role="status">
      {text}
      {failed && status.last_error !== null && <> {status.last_error}</>}
      {status.every_minutes > 0 && <> · {t("sync.last.every", { minutes: formatNumber(status.every_minutes) })}</>}
    </span>
  );
}
