import { useEffect, useRef, useState } from "react";
import type { SyncProgress } from "../../bindings/SyncProgress";
import type { SyncReport } from "../../bindings/SyncReport";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { LastSync } from "./LastSync";

interface Props {
  /** The MDM the fleet comes from (e.g. "Ivanti Neurons for MDM"). */
  mdm: string;
  /** The sync wrote devices: cached pages are stale. */
  onSynced: () => void;
}

type State =
  | { status: "idle" }
  | { status: "running"; progress: SyncProgress | null; cancelling: boolean }
  | { status: "done"; report: SyncReport }
  | { status: "failed"; error: IpcError };

/** "Sync from the MDM": a button, live progress with Cancel, then the outcome. */
export function SyncBar({ mdm, onSynced }: Props) {
  const { t, formatNumber } = useI18n();
  const [state, setState] = useState<State>({ status: "idle" });
  const [syncs, setSyncs] = useState(0);
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const start = () => {
    setState({ status: "running", progress: null, cancelling: false });
    ipc
      .syncDevices((progress) => {
        if (!live.current) return;
        setState((s) => (s.status === "running" ? { ...s, progress } : s));
      })
      .then(
        (report) => {
          if (!live.current) return;
          setState({ status: "done", report });
          setSyncs((n) => n + 1);
          onSynced();
        },
        (raw: unknown) => {
          if (!live.current) return;
          setState({ status: "failed", error: toIpcError("sync_devices", raw) });
          setSyncs((n) => n + 1);
          // Pages written before the failure are kept: show them.
          onSynced();
        },
      );
  };

  const cancel = () => {
    setState((s) => (s.status === "running" ? { ...s, cancelling: true } : s));
    void ipc.cancelSync();
  };

  const running = state.status === "running";
  const progress = running ? state.progress : null;
  return (
    <div className="sync" data-testid="sync">
      <div className="sync__row">
        {!running && (
          <button type="button" className="button" onClick={start} data-testid="sync-start">
            {t("sync.start", { mdm })}
          </button>
        )}
        {running && (
          <>
            <progress
              className="sync__progress"
              aria-label={t("sync.progressLabel", { mdm })}
              max={progress?.total ?? undefined}
              value={progress?.read ?? undefined}
              data-testid="sync-progress"
            />
            <span className="muted" role="status" aria-live="polite">
              {progress === null
                ? t("sync.starting")
                : t("sync.progress", { read: formatNumber(progress.read), total: formatNumber(progress.total) })}
            </span>
            <button
              type="button"
              className="button button--small"
              onClick={cancel}
              disabled={state.cancelling}
              data-testid="sync-cancel"
            >
              {state.cancelling ? t("sync.cancelling") : t("sync.cancel")}
            </button>
          </>
        )}
        {state.status === "done" && (
          <span className="muted" role="status" data-testid="sync-done">
            {state.report.cancelled
              ? t("sync.cancelled")
              : t("sync.done", {
                  devices: formatNumber(state.report.devices),
                  inserted: formatNumber(state.report.inserted),
                  updated: formatNumber(state.report.updated),
                  removed: formatNumber(state.report.removed),
                })}
          </span>
        )}
        <LastSync refreshKey={syncs} />
      </div>
      {state.status === "done" && state.report.warnings.length > 0 && (
        <SyncWarnings report={state.report} />
      )}
      {state.status === "failed" && (
        <ErrorNotice title={t("sync.failed")} error={state.error} onRetry={start} testId="sync-error" />
      )}
    </div>
  );
}

/** What the sync dropped or could not read (an invalid e-mail, an app inventory that failed). */
function SyncWarnings({ report }: { report: SyncReport }) {
  const { t, formatNumber } = useI18n();
  const more = report.warnings_total - report.warnings.length;
  return (
    <div className="sync__warnings" role="note" data-testid="sync-warnings">
      <p className="muted">{t("sync.warnings", { count: formatNumber(report.warnings_total) })}</p>
      <ul>
        {report.warnings.map((w, i) => (
          <li key={`${w.device_id ?? ""}:${w.field}:${String(i)}`}>
            {w.device_id !== null && <code>{w.device_id}</code>} {w.message}
            {w.fix !== null && <span className="muted"> {w.fix}</span>}
          </li>
        ))}
      </ul>
      {more > 0 && <p className="muted">{t("sync.moreWarnings", { count: formatNumber(more) })}</p>}
    </div>
  );
}
