import { useCallback, useEffect, useId, useRef, useState } from "react";
import type { ArmedSession } from "../../bindings/ArmedSession";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import type { Mode } from "../../bindings/Mode";
import type { Session } from "../../bindings/Session";
import { CheckItem } from "../../components/CheckItem";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Modal } from "../../components/Modal";
import { ReadinessBadge } from "../../components/ReadinessBadge";
import { useI18n, useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { useAuth } from "../account/context";
import { SignInAndContinue } from "../account/SignInAndContinue";
import { stateLabel } from "../session/labels";
import { SessionPanel } from "../session/SessionPanel";
import { ArmChoice, DEFAULT_WITHIN_HOURS, type When } from "./ArmChoice";
import { MODE_LABEL } from "./labels";
import { PreflightChecklist } from "./PreflightChecklist";
import { usePreflight } from "./usePreflight";
import { PolicyNotes, TicketField } from "./PolicyFields";
import { ticketProblem } from "./ticket";
import { visibleText } from "../../text";

/** What one start sends; a continued or repeated start sends the same again (S3, S9). */
interface StartArgs {
  deviceId: string;
  mode: Mode;
  reason: string;
  /** The ticket reference a support policy asks for; `null` when none was given. */
  ticket: string | null;
  /** Armed for the device's next check-in, waiting this long; `null`: started now. */
  withinMinutes: number | null;
}

type Outcome =
  | { status: "idle" }
  | { status: "pending" }
  /** `signInError`: the sign-in offered for a `sign_in_needed` failure did not finish. */
  | { status: "failed"; error: IpcError; args: StartArgs; signInError?: IpcError }
  /** S3: signing in after `sign_in_needed`; the start continues by itself when it is done. */
  | { status: "signing_in"; error: IpcError; args: StartArgs };

interface Props {
  detail: DeviceDetail;
  onClose: () => void;
  /** A session was armed (the window's armed sessions are read again). */
  onArmed?: (armed: ArmedSession) => void;
}

/**
 * S2: choose the mode and start. "Attended mode (default)" is preselected; "Unattended mode
 * (Android only)" cannot be chosen on other platforms (U1) and says why. Start calls
 * `start_session`; an error shows in place with its fix and failed checks. When the agent has no
 * valid TeamViewer token (S3) the dialog offers the sign-in and then continues the same start.
 * The live preflight checklist runs when the dialog opens and whenever the mode (or the sign-in)
 * changes; a blocking check disables Start ("Fix the blocked checks first"). While the checks
 * run, or when they cannot be run, Start stays available: `start_session` checks again, and a
 * blocked start never half-happens. A started session replaces the form with the session panel.
 * An attended session can instead be armed, to start when the device next checks in (within a
 * wait): pre-selected when the device is offline, with why (`arm_session`).
 */
export function ModeDialog({ detail, onClose, onArmed }: Props) {
  const { t, formatDateTime } = useI18n();
  const auth = useAuth();
  const reloadAuth = auth.reload;
  const signIn = auth.signIn;
  const id = useId();
  const titleId = `${id}-title`;
  const modeLabelId = `${id}-mode`;
  const unattendedReasonId = `${id}-unattended-reason`;
  const attendedRef = useRef<HTMLButtonElement>(null);
  const [mode, setMode] = useState<Mode>("attended");
  const [reason, setReason] = useState("");
  const [ticket, setTicket] = useState("");
  const [ticketTouched, setTicketTouched] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ status: "idle" });
  const [session, setSession] = useState<Session | null>(null);
  const [when, setWhen] = useState<When>(detail.online ? "now" : "later");
  const [withinHours, setWithinHours] = useState(DEFAULT_WITHIN_HOURS);
  const [armed, setArmed] = useState<ArmedSession | null>(null);
  // The form and its Start button are gone once armed: focus moves to what happened.
  const armedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (armed) armedRef.current?.focus();
  }, [armed]);
  const onArmedRef = useRef(onArmed);
  useEffect(() => {
    onArmedRef.current = onArmed;
  }, [onArmed]);
  const [rechecks, setRechecks] = useState(0);
  const signedIn = auth.status?.signed_in === true;
  const preflight = usePreflight(detail.id, mode, `${signedIn}:${rechecks}`);
  const blocked = preflight.result?.ok === true && !preflight.result.preflight.ok;
  // What the support policies ask of this start (the ticket field, view only, four eyes).
  const demands = preflight.result?.ok === true ? preflight.result.preflight.policy : undefined;
  const ticketPatterns = demands?.ticket_patterns ?? [];
  const ticketIssue = ticketProblem(ticketPatterns, ticket);
  const recheck = useCallback(() => {
    setRechecks((n) => n + 1);
  }, []);

  // A sign-in can take minutes: if the dialog is closed meanwhile, the start does not continue.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // U1 is the back end's to decide: unattended is offered unless the device can never have it.
  const unattendedAllowed = detail.eligibility.find((entry) => entry.mode === "unattended")?.status !== "unsupported";
  const pending = outcome.status === "pending";
  const busy = pending || outcome.status === "signing_in";
  const eligibility = detail.eligibility.find((entry) => entry.mode === mode);
  // Only an attended session is armed: unattended needs no one on the device.
  const arming = mode === "attended" && when === "later";

  const run = useCallback(
    (args: StartArgs) => {
      setOutcome({ status: "pending" });
      if (args.withinMinutes !== null) {
        ipc.armSession(args.deviceId, args.mode, args.reason, args.ticket, args.withinMinutes).then(
          (done) => {
            setArmed(done);
            setOutcome({ status: "idle" });
            onArmedRef.current?.(done);
          },
          (raw: unknown) => {
            const error = toIpcError("arm_session", raw);
            if (error.code === "sign_in_needed") reloadAuth();
            setOutcome({ status: "failed", error, args });
          },
        );
        return;
      }
      ipc.startSession(args.deviceId, args.mode, args.reason, args.ticket).then(
        (started) => {
          setSession(started);
          setOutcome({ status: "idle" });
        },
        (raw: unknown) => {
          const error = toIpcError("start_session", raw);
          // The header may still think the agent is signed in (an expired token).
          if (error.code === "sign_in_needed") reloadAuth();
          setOutcome({ status: "failed", error, args });
        },
      );
    },
    [reloadAuth],
  );

  const start = () => {
    if (busy || blocked) return;
    if (ticketIssue) {
      setTicketTouched(true);
      return;
    }
    const given = ticket.trim();
    run({
      deviceId: detail.id,
      mode,
      reason: reason.trim(),
      ticket: given === "" ? null : given,
      withinMinutes: arming ? withinHours * 60 : null,
    });
  };

  const signInAndContinue = () => {
    if (outcome.status !== "failed") return;
    const { error, args } = outcome;
    setOutcome({ status: "signing_in", error, args });
    signIn().then(
      () => {
        if (mounted.current) run(args);
      },
      (raw: unknown) => {
        setOutcome({ status: "failed", error, args, signInError: toIpcError("sign_in", raw) });
      },
    );
  };

  const startAgain = useCallback(() => {
    if (!session) return;
    // S9: the same device, mode and reason as the lost session.
    run({
      deviceId: session.device_id || detail.id,
      mode: session.mode,
      reason: session.reason,
      ticket: session.ticket ?? null,
      withinMinutes: null,
    });
  }, [session, detail.id, run]);

  const failure =
    outcome.status === "failed" || outcome.status === "signing_in" ? (
      <StartFailure
        error={outcome.error}
        arming={outcome.args.withinMinutes !== null}
        signInError={outcome.status === "failed" ? outcome.signInError : undefined}
        signingIn={outcome.status === "signing_in"}
        onSignIn={signInAndContinue}
      />
    ) : null;

  const modeButton = (value: Mode) => {
    const disabled = value === "unattended" && !unattendedAllowed;
    const status = detail.eligibility.find((entry) => entry.mode === value)?.status;
    return (
      <button
        ref={value === "attended" ? attendedRef : undefined}
        type="button"
        className={`mode-option${mode === value ? " mode-option--selected" : ""}`}
        aria-pressed={mode === value}
        aria-disabled={disabled ? true : undefined}
        aria-describedby={disabled ? unattendedReasonId : undefined}
        data-testid={value === "attended" ? "mode-attended" : "mode-unattended"}
        onClick={() => {
          if (!disabled && !busy) setMode(value);
        }}
      >
        <span className="mode-option__radio" aria-hidden="true" />
        <span className="mode-option__label">{t(MODE_LABEL[value])}</span>
        {status !== undefined && !disabled && <ReadinessBadge readiness={status} />}
      </button>
    );
  };

  const remoteLabel =
    detail.remote_action.kind === "remote_control" ? t("actions.remoteControl") : t("actions.remoteView");

  return (
    <Modal labelledBy={titleId} onClose={onClose} initialFocus={attendedRef} testId="mode-dialog">
      <div className="modal__header">
        <h2 id={titleId} className="modal__title">
          {session
            ? t("session.dialogTitle", { device: visibleText(detail.name) })
            : t("mode.dialogTitle", { device: visibleText(detail.name) })}
        </h2>
        <p className="muted">{remoteLabel}</p>
      </div>
      <div className="modal__body">
        {armed ? (
          <div className="notice notice--success" role="status" data-testid="arm-done">
            <p ref={armedRef} tabIndex={-1} className="notice__title arm-done__title" data-testid="arm-done-title">
              {t("arm.done", { device: visibleText(detail.name), until: formatDateTime(armed.expires_at) })}
            </p>
            <p className="hint">{t("arm.doneHint")}</p>
          </div>
        ) : session ? (
          <SessionPanel
            key={session.id}
            session={session}
            onChange={setSession}
            onStartAgain={startAgain}
            starting={busy}
          />
        ) : (
          <>
            <p id={modeLabelId} className="field__label">
              {t("mode.choose")}
            </p>
            <div role="group" aria-labelledby={modeLabelId} className="mode-options">
              {modeButton("attended")}
              {modeButton("unattended")}
            </div>
            {!unattendedAllowed && (
              <p id={unattendedReasonId} className="hint" data-testid="unattended-reason">
                {t("mode.unattendedAndroidOnly")}
              </p>
            )}
            {eligibility && eligibility.reasons.length > 0 && (
              <ul className="reasons reasons--boxed" aria-label={t(MODE_LABEL[mode])}>
                {eligibility.reasons.map((text) => (
                  <li key={text}>{text}</li>
                ))}
              </ul>
            )}
            <PreflightChecklist
              result={preflight.result}
              loading={preflight.loading}
              onRecheck={recheck}
              headingId={`${id}-checks`}
            />
            <div className="field field--block">
              <label htmlFor={`${id}-reason`} className="field__label">
                {t("mode.reason")}
              </label>
              <input
                id={`${id}-reason`}
                type="text"
                className="input"
                value={reason}
                maxLength={500}
                aria-describedby={`${id}-reason-hint`}
                data-testid="reason-input"
                onChange={(event) => {
                  setReason(event.target.value);
                }}
              />
              <span id={`${id}-reason-hint`} className="hint">
                {demands?.reason_required ? t("mode.reasonRequired") : t("mode.reasonHint")}
              </span>
            </div>
            {ticketPatterns.length > 0 && demands && (
              <TicketField
                value={ticket}
                demands={demands}
                problem={ticketTouched ? ticketIssue : null}
                onChange={(value) => {
                  setTicket(value);
                  setTicketTouched(true);
                }}
              />
            )}
            {demands && <PolicyNotes demands={demands} />}
            {mode === "attended" && (
              <ArmChoice
                when={when}
                withinHours={withinHours}
                offline={!detail.online}
                lastCheckin={detail.last_checkin}
                disabled={busy}
                onWhen={setWhen}
                onWithin={setWithinHours}
              />
            )}
          </>
        )}
        <div className="start-result" data-testid="start-result" aria-live="polite">
          {failure}
        </div>
      </div>
      <div className="modal__footer">
        {!session && !armed && blocked && (
          <p id={`${id}-blocked`} className="modal__footer-hint" data-testid="start-blocked">
            {t("preflight.fixFirst")}
          </p>
        )}
        <button type="button" className="button" onClick={onClose}>
          {session || armed ? t("mode.close") : t("mode.cancel")}
        </button>
        {!session && !armed && (
          <button
            type="button"
            className="button button--primary"
            aria-disabled={busy || blocked ? true : undefined}
            aria-describedby={blocked ? `${id}-blocked` : undefined}
            data-testid="start-button"
            onClick={start}
          >
            {arming ? (pending ? t("arm.arming") : t("arm.submit")) : pending ? t("mode.starting") : t("mode.start")}
          </button>
        )}
      </div>
    </Modal>
  );
}

interface StartFailureProps {
  error: IpcError;
  /** The failure of arming a session, not of a start. */
  arming: boolean;
  /** S3: the sign-in offered for `sign_in_needed` failed. */
  signInError: IpcError | undefined;
  signingIn: boolean;
  onSignIn: () => void;
}

function StartFailure({ error, arming, signInError, signingIn, onSignIn }: StartFailureProps) {
  const t = useT();
  const checks = error.code === "blocked" ? error.checks : [];
  const holder = error.code === "conflict" ? error.holder : null;
  // Held by another agent's armed session: the message names the agent, the fix what to do.
  const heldByArmed = error.code === "conflict" && error.details?.kind === "armed";
  const approval = error.code === "awaiting_approval" ? error.approval : null;
  const title =
    error.code === "sign_in_needed"
      ? "mode.signInNeeded"
      : error.code === "conflict"
        ? "mode.conflict"
        : error.code === "awaiting_approval"
          ? "mode.awaitingApproval"
          : arming
            ? "arm.failed"
            : "mode.failed";
  return (
    <>
      <ErrorNotice title={t(title)} error={error} testId="start-error">
        {error.code === "sign_in_needed" && <SignInAndContinue signingIn={signingIn} onSignIn={onSignIn} />}
        {error.code === "conflict" && !heldByArmed && (
          // Shared session state: one open session per device; say who holds it.
          <div className="holder" data-testid="session-holder">
            <p>
              {holder && holder.agent !== ""
                ? t("mode.holder", { agent: holder.agent })
                : t("mode.holderUnknown")}
            </p>
            {holder && (
              <dl className="facts facts--compact">
                <div className="facts__row">
                  <dt>{t("session.code")}</dt>
                  <dd>
                    <code data-testid="holder-code">{holder.code ?? t("session.noCode")}</code>
                  </dd>
                </div>
                <div className="facts__row">
                  <dt>{t("session.state")}</dt>
                  <dd data-testid="holder-state">{stateLabel(t, holder.state)}</dd>
                </div>
              </dl>
            )}
          </div>
        )}
        {approval && (
          <p data-testid="awaiting-approval">{t("mode.awaitingApprovalHint", { id: approval.id })}</p>
        )}
        {checks.length > 0 && (
          <div className="checks">
            <p className="checks__title">{t("mode.checks")}</p>
            <ul className="checklist" data-testid="preflight-checks">
              {checks.map((check, index) => (
                <CheckItem key={`${check.rule}-${index}`} check={check} />
              ))}
            </ul>
          </div>
        )}
      </ErrorNotice>
      {signInError && (
        <ErrorNotice title={t("mode.signInFailed")} error={signInError} testId="sign-in-error" />
      )}
    </>
  );
}
