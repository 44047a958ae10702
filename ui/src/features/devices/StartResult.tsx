import { useI18n } from "../../i18n/context";
import { isSessionState, type StartedSession } from "../../ipc";

/** A started session: its code (what the agent reads to the user or sees in TeamViewer) and state. */
export function StartResult({ session }: { session: StartedSession }) {
  const { t, formatDateTime } = useI18n();
  const state = isSessionState(session.state) ? t(`state.${session.state}`) : session.state;
  return (
    <div className="notice notice--success" data-testid="session-started" data-session-state={session.state}>
      <p className="notice__title">{t("mode.started")}</p>
      <dl className="facts facts--compact">
        <div className="facts__row">
          <dt>{t("mode.sessionCode")}</dt>
          <dd>
            <code className="session-code" data-testid="session-code">
              {session.code}
            </code>
          </dd>
        </div>
        <div className="facts__row">
          <dt>{t("mode.sessionState")}</dt>
          <dd data-testid="session-state">{state}</dd>
        </div>
        {session.expires_at !== undefined && session.expires_at !== null && (
          // S5: iOS session IDs expire after 30 minutes.
          <div className="facts__row">
            <dt>{t("mode.sessionExpires")}</dt>
            <dd>
              <time dateTime={session.expires_at}>{formatDateTime(session.expires_at)}</time>
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}
