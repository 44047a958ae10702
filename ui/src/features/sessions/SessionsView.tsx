import { useCallback, useEffect, useId, useState } from "react";
import type { Session } from "../../bindings/Session";
import { ErrorBanner } from "../../components/ErrorBanner";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { ArmedList } from "./ArmedList";
import { SessionDetail } from "./SessionDetail";
import { SessionsTable } from "./SessionsTable";
import { TeamViewerStatus } from "./TeamViewerStatus";
import { useArmed, type ArmedState } from "./useArmed";
import { useSessions } from "./useSessions";
import { useSessionSync } from "./useSessionSync";

interface Props {
  /** Bumped when the language changes. */
  epoch: number;
  /** The window's armed sessions (read at the window's level, which notifies); else read here. */
  armed?: ArmedState;
}

/**
 * Every session the back end keeps (spec "Shared session state", "Session lifecycle"): open ones
 * first, "Open only" to hide the ended ones, refreshed every 10 s while on screen. The states are
 * TeamViewer's (the window reads open sessions back every 15 s; "Check with TeamViewer" now), and
 * cases still owed a close at TeamViewer are shown until it succeeds. A session opens in the side
 * panel with the session panel of the start dialog.
 */
export function SessionsView({ epoch, armed: given }: Props) {
  const { t, tn } = useI18n();
  const headingId = useId();
  const [openOnly, setOpenOnly] = useState(false);
  const [selected, setSelected] = useState<Session | null>(null);
  const { sessions, error, reload } = useSessions(openOnly, epoch);
  // The states are TeamViewer's: the window reads open sessions back on its own; "Check with
  // TeamViewer" does it now, then the list is read again.
  const tv = useSessionSync(epoch, reload);
  // Armed sessions wait above the list; one that fires brings its session into the list.
  const own = useArmed(given === undefined, false);
  const armed = given ?? own;
  useEffect(() => {
    if (armed.changes > 0) reload();
  }, [armed.changes, reload]);

  const close = useCallback(() => {
    const id = selected?.id;
    setSelected(null);
    // Back to the row the panel was opened from.
    if (id !== undefined) {
      document
        .querySelector<HTMLElement>(`[data-testid="session-row"][data-session-id="${CSS.escape(id)}"] button`)
        ?.focus();
    }
  }, [selected]);

  const change = useCallback(
    (next: Session) => {
      setSelected(next);
      // A new session (Start again) or a new state belongs in the list too.
      reload();
    },
    [reload],
  );

  let body;
  if (sessions === null && error) {
    body = <ErrorNotice title={t("sessions.loadFailed")} error={error} onRetry={reload} testId="sessions-error" />;
  } else if (sessions === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="sessions-loading">
        <span className="spinner" aria-hidden="true" /> {t("sessions.loading")}
      </p>
    );
  } else if (sessions.length === 0) {
    body = (
      <div className="empty" data-testid="sessions-empty">
        <p className="empty__title">{openOnly ? t("sessions.emptyOpen") : t("sessions.empty")}</p>
        <p className="muted">{t("sessions.emptyHint")}</p>
      </div>
    );
  } else {
    body = (
      <SessionsTable
        sessions={sessions}
        selectedId={selected?.id ?? null}
        onSelect={setSelected}
        labelledBy={headingId}
      />
    );
  }

  return (
    <main className="devices sessions" data-testid="sessions-view">
      <div className="devices__main">
        <div className="view-header">
          <h1 id={headingId} className="view-title">
            {t("sessions.title")}
          </h1>
        </div>
        <div className="toolbar">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={openOnly}
              data-testid="sessions-open-only"
              onChange={(event) => {
                setOpenOnly(event.target.checked);
              }}
            />
            {t("sessions.openOnly")}
          </label>
          <button type="button" className="button button--small" data-testid="sessions-refresh" onClick={reload}>
            {t("sessions.refresh")}
          </button>
          <button
            type="button"
            className="button button--small"
            aria-disabled={tv.checking ? true : undefined}
            data-testid="sessions-check"
            onClick={tv.checkNow}
          >
            {tv.checking ? t("sessions.checking") : t("sessions.checkNow")}
          </button>
          {sessions !== null && (
            <span className="toolbar__count" role="status" data-testid="sessions-count">
              {tn("sessions.count", sessions.length)}
            </span>
          )}
        </div>
        <TeamViewerStatus last={tv.last} checking={tv.checking} error={tv.error} onCheck={tv.checkNow} />
        {error && sessions !== null && (
          <ErrorBanner
            text={t("sessions.refreshFailed", { message: error.message })}
            error={error}
            onRetry={reload}
            testId="sessions-refresh-error"
          />
        )}
        <ArmedList state={armed} />
        <div className="sessions__table">{body}</div>
      </div>
      {selected && <SessionDetail key={selected.id} session={selected} onChange={change} onClose={close} />}
    </main>
  );
}
