import type { LastSessionSync } from "../../bindings/LastSessionSync";
import { ErrorBanner } from "../../components/ErrorBanner";
import { useI18n } from "../../i18n/context";
import type { IpcError } from "../../ipc";

interface Props {
  last: LastSessionSync | null;
  checking: boolean;
  error: IpcError | null;
  onCheck: () => void;
}

/**
 * Whether the states on screen are TeamViewer's: when the window last read its open sessions
 * back, or why it could not (not signed in, TeamViewer unreachable), and the cases that ended here
 * but are still open at TeamViewer, with Retry now.
 */
export function TeamViewerStatus({ last, checking, error, onCheck }: Props) {
  const { t, tn, formatDateTime } = useI18n();
  const sync = last?.sync ?? null;
  let line: { text: string; warn: boolean } | null = null;
  if (sync !== null && last !== null) {
    switch (sync.teamviewer) {
      case "checked":
        line = { text: t("sessions.tvChecked", { time: formatDateTime(last.at) }), warn: false };
        break;
      case "not_signed_in":
        line = { text: t("sessions.tvNotSignedIn"), warn: true };
        break;
      case "not_configured":
        line = { text: t("sessions.tvNotConfigured"), warn: true };
        break;
      case "failed":
        line = { text: t("sessions.tvFailed", { message: sync.message ?? "" }), warn: true };
        break;
      case "nothing_open":
        line = null;
        break;
    }
  }
  const owed = sync?.pending_closes ?? [];
  const lastError = owed.map((o) => o.last_error).find((e) => e !== null) ?? "—";

  return (
    <div className="tv-status" data-testid="sessions-tv-status" data-teamviewer={sync?.teamviewer ?? "unknown"}>
      {line !== null && (
        <p className={line.warn ? "notice notice--warn" : "hint"} role="status" data-testid="sessions-tv-line">
          {line.text}
        </p>
      )}
      {owed.length > 0 && (
        <div className="notice notice--warn" role="status" data-testid="sessions-owed-closes">
          <p className="notice__title">{tn("sessions.owed", owed.length)}</p>
          <p className="hint">{t("sessions.owedHint", { error: lastError })}</p>
          <p>
            {owed.map((o) => (
              <code key={o.code} className="tv-status__code">
                {o.code}
              </code>
            ))}
          </p>
          <button
            type="button"
            className="button button--small"
            aria-disabled={checking ? true : undefined}
            data-testid="sessions-retry-closes"
            onClick={onCheck}
          >
            {checking ? t("sessions.checking") : t("sessions.retryCloses")}
          </button>
        </div>
      )}
      {error && (
        <ErrorBanner
          text={`${t("sessions.tvCheckFailed")}: ${error.message}`}
          error={error}
          onRetry={onCheck}
          testId="sessions-tv-error"
        />
      )}
    </div>
  );
}
