import { useEffect, useId, useRef, useState } from "react";
import type { Session } from "../../bindings/Session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatCountdown, useCountdown } from "../../hooks/useCountdown";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { ipc, isOpenSession, toIpcError, type IpcError } from "../../ipc";
import { useAuthIfAny } from "../account/context";
import { CoachingCard } from "./CoachingCard";
import { HandOverDialog } from "./HandOverDialog";
import { stateLabel, stateTone, TONE_ICON } from "./labels";

/** While a session can still change, its state is read again this often (`get_session`). */
export const SESSION_POLL_MS = 15_000;

/** Outside S5, the countdown shows for the last hour of the code's validity. */
const COUNTDOWN_FROM_MS = 60 * 60_000;

/** States after which the agent may start the same session again (S9: lost; S5: expired). */
const RESTARTABLE = new Set<string>(["lost", "expired", "failed"]);

const MODE_SHORT: Readonly<Record<Session["mode"], MessageKey>> = {
  attended: "mode.attendedShort",
  unattended: "mode.unattendedShort",
};

interface Props {
  session: Session;
  /** A newer copy of the session (after close, open again, or a refresh). */
  onChange: (session: Session) => void;
  /** S9: start the same device, mode and reason again. */
  onStartAgain: () => void;
  /** A start (again) is running. */
  starting: boolean;
}

interface Failure {
  title: MessageKey;
  error: IpcError;
}

/**
 * A started session (spec "Session lifecycle"): its state, the code in large type, mode, reason,
 * agent and time; on iOS a live "Expires in mm:ss" (S5); the supporter link when the desktop
 * client was not opened; Open in TeamViewer again, Close session, and Start again or Arm again
 * (started at the device's next check-in) once it is lost (S9), expired or failed. An open attended
 * session shows the coaching card: what the user will do and the code to confirm. The state is
 * refreshed with `get_session` while the session is open.
 */
export function SessionPanel({ session, onChange, onStartAgain, starting }: Props) {
  const { t, formatDateTime } = useI18n();
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [action, setAction] = useState<"open" | "close" | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [opened, setOpened] = useState(false);
  const [refreshError, setRefreshError] = useState<IpcError | null>(null);
  const [handingOver, setHandingOver] = useState(false);
  const [handedTo, setHandedTo] = useState<string | null>(null);
  const [rearming, setRearming] = useState(false);
  // An armed session started again: until when it waits for the device's check-in.
  const [rearmedUntil, setRearmedUntil] = useState<string | null>(null);
  const remaining = useCountdown(session.expires_at);
  const me = useAuthIfAny()?.status?.account?.userid ?? null;

  const open = isOpenSession(session);
  // Handed over (or taken) by another agent: at TeamViewer the case is theirs to open and close.
  const heldByOther = open && me !== null && session.teamviewer_userid !== null && session.teamviewer_userid !== me;
  const tone = stateTone(session.state);

  // Answers that arrive after a newer local change (close, open) must not overwrite it.
  const version = useRef(0);
  const onChangeRef = useRef(onChange);
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // A desktop notification when the session becomes active (S6) or is lost (S9): the agent is
  // usually looking at the TeamViewer client by then, not at this window.
  const seenState = useRef(session.state);
  useEffect(() => {
    const before = seenState.current;
    seenState.current = session.state;
    if (before === session.state) return;
    if (session.state === "active") {
      void ipc.notify(t("notify.active.title"), t("notify.active.body", { device: session.device_id }));
    } else if (session.state === "lost") {
      void ipc.notify(t("notify.lost.title"), t("notify.lost.body", { device: session.device_id }));
    } else if (session.state === "closed" && session.ended_by === "teamviewer") {
      void ipc.notify(t("notify.closed.title"), t("notify.closed.body", { device: session.device_id }));
    }
  }, [session.state, session.ended_by, session.device_id, t]);

  // Focus lands on the panel when it appears (the Start button it replaces is gone).
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const sessionId = session.id;
    const timer = setInterval(() => {
      const asked = version.current;
      ipc.getSession(sessionId).then(
        (next) => {
          if (version.current !== asked) return;
          setRefreshError(null);
          onChangeRef.current(next);
        },
        (raw: unknown) => {
          if (version.current === asked) setRefreshError(toIpcError("get_session", raw));
        },
      );
    }, SESSION_POLL_MS);
    return () => {
      clearInterval(timer);
    };
  }, [open, session.id]);

  const openAgain = () => {
    if (action !== null) return;
    setAction("open");
    setFailure(null);
    setOpened(false);
    const sessionId = session.id;
    ipc.openSession(sessionId).then(
      () => {
        setAction(null);
        setOpened(true);
        // `launched` may have changed: read the session again.
        const asked = ++version.current;
        ipc.getSession(sessionId).then(
          (next) => {
            if (version.current === asked) onChangeRef.current(next);
          },
          () => undefined,
        );
      },
      (raw: unknown) => {
        setAction(null);
        setFailure({ title: "session.openFailed", error: toIpcError("open_session", raw) });
      },
    );
  };

  const close = () => {
    if (action !== null) return;
    setAction("close");
    setFailure(null);
    setOpened(false);
    version.current += 1;
    ipc.closeSession(session.id).then(
      (next) => {
        version.current += 1;
        setAction(null);
        onChangeRef.current(next);
        // The buttons are gone with the open state: keep focus in the panel.
        headingRef.current?.focus();
      },
      (raw: unknown) => {
        setAction(null);
        setFailure({ title: "session.closeFailed", error: toIpcError("close_session", raw) });
      },
    );
  };

  // S9/S5: armed again, the session starts by itself at the device's next check-in.
  const rearm = () => {
    if (rearming) return;
    setRearming(true);
    setFailure(null);
    ipc.rearmSession(session.id, null).then(
      (armed) => {
        setRearming(false);
        setRearmedUntil(armed.expires_at);
      },
      (raw: unknown) => {
        setRearming(false);
        setFailure({ title: "arm.againFailed", error: toIpcError("rearm_session", raw) });
      },
    );
  };
  const rearmable = RESTARTABLE.has(session.state) && session.mode === "attended" && rearmedUntil === null;

  const expired = session.state === "expired" || (open && remaining === 0);
  // S5 (iOS, 30 minutes) ends the session before TeamViewer's own validity of the code.
  const s5 =
    session.expires_at !== null && (session.valid_until === null || session.expires_at < session.valid_until);
  // The live countdown: iOS's 30 minutes (S5), or the last hour of TeamViewer's validity.
  const showCountdown =
    session.expires_at !== null &&
    (open || session.state === "expired") &&
    (s5 || (remaining !== null && remaining < COUNTDOWN_FROM_MS));

  return (
    <section
      className="session"
      aria-labelledby={`${id}-heading`}
      data-testid="session-panel"
      data-session-state={session.state}
    >
      <div className="session__head">
        <h3 id={`${id}-heading`} ref={headingRef} tabIndex={-1} className="session__heading">
          {t("session.code")}
        </h3>
        <span aria-live="polite">
          <span className="sr-only">{t("session.state")}: </span>
          <span className={`session-state session-state--${tone}`} data-testid="session-state" data-state={session.state}>
            <span className="session-state__icon" aria-hidden="true">
              {TONE_ICON[tone]}
            </span>
            {stateLabel(t, session.state)}
          </span>
        </span>
      </div>

      <p className={`session__code${session.code === null ? " session__code--none" : ""}`}>
        <code data-testid="session-code">{session.code ?? t("session.noCode")}</code>
      </p>

      {(session.view_only === true || session.ticket !== undefined) && (
        <p className="hint" data-testid="session-policy">
          {session.ticket !== undefined && (
            <span data-testid="session-ticket">
              {t("session.ticket")}: <code>{session.ticket}</code>
            </span>
          )}
          {session.ticket !== undefined && session.view_only === true && " · "}
          {session.view_only === true && <strong data-testid="session-view-only">{t("session.viewOnly")}</strong>}
        </p>
      )}

      {showCountdown && (
        // S5: on iOS the session ID expires after 30 minutes.
        <p
          className={`session__countdown${expired ? " session__countdown--expired" : ""}`}
          role="timer"
          title={s5 ? t("session.expiryHint") : t("session.validityHint")}
          data-testid="session-countdown"
          data-expired={expired}
        >
          {expired || remaining === null
            ? t("session.expired")
            : t("session.expiresIn", { time: formatCountdown(remaining) })}
        </p>
      )}

      {session.state === "closed" && session.ended_by === "teamviewer" && (
        <p className="hint" data-testid="session-closed-at-teamviewer">
          {t("session.endedByTeamViewer")}
        </p>
      )}

      {session.state === "lost" && (
        // S9: the start command is lost when the app is closed or the device restarts.
        <p className="notice notice--warn" data-testid="session-lost">
          {t("session.lostHint")}
        </p>
      )}

      {open && session.delivery === "end_customer_link" && session.end_customer_link !== null && (
        // S4 fallback: the MDM connector cannot push a managed app configuration, so the agent
        // gives the device user this link (the audit trail records it).
        <div className="notice notice--warn" data-testid="session-delivery-link">
          <p className="notice__title">{t("session.deliveryLink")}</p>
          <p className="hint">{t("session.deliveryLinkHint")}</p>
          <p className="session__link">
            <code data-testid="session-end-customer-link">{session.end_customer_link}</code>{" "}
            <button
              type="button"
              className="button button--small"
              data-testid="session-copy-link"
              onClick={() => {
                void navigator.clipboard.writeText(session.end_customer_link ?? "").catch(() => undefined);
              }}
            >
              {t("session.copyLink")}
            </button>
          </p>
        </div>
      )}

      {open && !session.launched && (
        <div className="notice notice--warn" data-testid="session-not-launched">
          <p className="notice__title">{t("session.notLaunched")}</p>
          <p className="hint">{t("session.notLaunchedHint")}</p>
          {session.supporter_link !== null && (
            <p className="session__link">
              <span className="sr-only">{t("session.supporterLink")}: </span>
              <code data-testid="session-link">{session.supporter_link}</code>
            </p>
          )}
        </div>
      )}

      {open && session.mode === "attended" && <CoachingCard session={session} />}

      <dl className="facts facts--compact">
        <div className="facts__row">
          <dt>{t("session.mode")}</dt>
          <dd data-testid="session-mode">{t(MODE_SHORT[session.mode])}</dd>
        </div>
        <div className="facts__row">
          <dt>{t("session.reason")}</dt>
          <dd data-testid="session-reason">
            {session.reason.trim() === "" ? <span className="muted">{t("session.noReason")}</span> : session.reason}
          </dd>
        </div>
        {session.agent !== "" && (
          <div className="facts__row">
            <dt>{t("session.agent")}</dt>
            <dd>{session.agent}</dd>
          </div>
        )}
        {session.created_at !== "" && (
          <div className="facts__row">
            <dt>{t("session.created")}</dt>
            <dd>
              <time dateTime={session.created_at}>{formatDateTime(session.created_at)}</time>
            </dd>
          </div>
        )}
        {open && session.valid_until !== null && (
          <div className="facts__row">
            <dt>{t("session.validUntil")}</dt>
            <dd data-testid="session-valid-until">
              <time dateTime={session.valid_until}>{formatDateTime(session.valid_until)}</time>
            </dd>
          </div>
        )}
        {!open && session.ended_at !== null && (
          <div className="facts__row">
            <dt>{t("session.ended")}</dt>
            <dd data-testid="session-ended">
              <time dateTime={session.ended_at}>{formatDateTime(session.ended_at)}</time>
            </dd>
          </div>
        )}
      </dl>

      {handedTo !== null && (
        <p className="notice notice--success" role="status" data-testid="session-handed-over">
          {t("session.handedOver", { agent: handedTo })}
        </p>
      )}
      {heldByOther && handedTo === null && (
        <p className="hint" data-testid="session-held-by-other">
          {t("session.heldByOther", { agent: session.agent })}
        </p>
      )}

      {refreshError && open && (
        <p className="hint" role="status" data-testid="session-refresh-error">
          {t("session.refreshFailed", { message: refreshError.message })}
        </p>
      )}
      {rearmedUntil !== null && (
        <p className="notice notice--success" role="status" data-testid="session-rearmed">
          {t("arm.againDone", { until: formatDateTime(rearmedUntil) })}
        </p>
      )}
      {opened && (
        <p className="hint" role="status">
          {t("session.opened")}
        </p>
      )}
      {failure && <ErrorNotice title={t(failure.title)} error={failure.error} testId="session-error" />}

      {((open && !heldByOther) || RESTARTABLE.has(session.state)) && (
        <div className="session__actions">
          {open && !heldByOther && (
            <>
              <button
                type="button"
                className="button"
                aria-disabled={action !== null ? true : undefined}
                data-testid="session-open"
                onClick={openAgain}
              >
                {action === "open" ? t("session.opening") : t("session.open")}
              </button>
              <button
                type="button"
                className="button button--danger"
                aria-disabled={action !== null ? true : undefined}
                data-testid="session-close"
                onClick={close}
              >
                {action === "close" ? t("session.closing") : t("session.close")}
              </button>
              {session.code !== null && session.mode === "attended" && (
                <button
                  type="button"
                  className="button"
                  aria-disabled={action !== null ? true : undefined}
                  data-testid="session-hand-over"
                  onClick={() => {
                    if (action === null) setHandingOver(true);
                  }}
                >
                  {t("session.handOver")}
                </button>
              )}
            </>
          )}
          {RESTARTABLE.has(session.state) && (
            <button
              type="button"
              className="button button--primary"
              aria-disabled={starting ? true : undefined}
              data-testid="session-start-again"
              onClick={() => {
                if (!starting) onStartAgain();
              }}
            >
              {starting ? t("mode.starting") : t("session.startAgain")}
            </button>
          )}
          {rearmable && (
            <button
              type="button"
              className="button"
              aria-disabled={rearming ? true : undefined}
              data-testid="session-arm-again"
              onClick={rearm}
            >
              {rearming ? t("arm.arming") : t("arm.again")}
            </button>
          )}
        </div>
      )}
      {handingOver && (
        <HandOverDialog
          session={session}
          onClose={() => {
            setHandingOver(false);
          }}
          onDone={(done) => {
            setHandingOver(false);
            setHandedTo(done.to.name !== "" ? done.to.name : done.to.agent);
            version.current += 1;
            onChangeRef.current(done.session);
            headingRef.current?.focus();
          }}
        />
      )}
    </section>
  );
}
