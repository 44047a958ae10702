import { useId, useRef, useState } from "react";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import type { Mode } from "../../bindings/Mode";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Modal } from "../../components/Modal";
import { ReadinessBadge } from "../../components/ReadinessBadge";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { MODE_LABEL } from "./labels";
import { StartResult } from "./StartResult";

type Outcome =
  | { status: "idle" }
  | { status: "pending" }
  | { status: "done"; session: Awaited<ReturnType<typeof ipc.startSession>> }
  | { status: "failed"; error: IpcError };

interface Props {
  detail: DeviceDetail;
  onClose: () => void;
}

/**
 * S2: choose the mode and start. "Attended mode (default)" is preselected; "Unattended mode
 * (Android only)" cannot be chosen on other platforms (U1) and says why. Start calls
 * `start_session`; its answer (session, or error with fix and failed checks) shows in place.
 */
export function ModeDialog({ detail, onClose }: Props) {
  const t = useT();
  const id = useId();
  const titleId = `${id}-title`;
  const modeLabelId = `${id}-mode`;
  const unattendedReasonId = `${id}-unattended-reason`;
  const attendedRef = useRef<HTMLButtonElement>(null);
  const [mode, setMode] = useState<Mode>("attended");
  const [reason, setReason] = useState("");
  const [outcome, setOutcome] = useState<Outcome>({ status: "idle" });

  const unattendedAllowed = detail.platform === "android";
  const pending = outcome.status === "pending";
  const eligibility = detail.eligibility.find((entry) => entry.mode === mode);

  const start = () => {
    if (pending) return;
    setOutcome({ status: "pending" });
    ipc.startSession(detail.id, mode, reason.trim()).then(
      (session) => {
        setOutcome({ status: "done", session });
      },
      (raw: unknown) => {
        setOutcome({ status: "failed", error: toIpcError("start_session", raw) });
      },
    );
  };

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
          if (!disabled && !pending) setMode(value);
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
          {t("mode.dialogTitle", { device: detail.name })}
        </h2>
        <p className="muted">{remoteLabel}</p>
      </div>
      <div className="modal__body">
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
            {t("mode.reasonHint")}
          </span>
        </div>
        <div className="start-result" data-testid="start-result" aria-live="polite">
          {outcome.status === "done" && <StartResult session={outcome.session} />}
          {outcome.status === "failed" && <StartFailure error={outcome.error} />}
        </div>
      </div>
      <div className="modal__footer">
        <button type="button" className="button" onClick={onClose}>
          {outcome.status === "done" ? t("mode.close") : t("mode.cancel")}
        </button>
        {outcome.status !== "done" && (
          <button
            type="button"
            className="button button--primary"
            aria-disabled={pending ? true : undefined}
            data-testid="start-button"
            onClick={start}
          >
            {pending ? t("mode.starting") : t("mode.start")}
          </button>
        )}
      </div>
    </Modal>
  );
}

const CHECK_ICON = { pass: "✓", warn: "!", block: "✕" } as const;

function StartFailure({ error }: { error: IpcError }) {
  const t = useT();
  const checks = error.code === "blocked" ? error.checks : [];
  return (
    <ErrorNotice title={t("mode.failed")} error={error} testId="start-error">
      {checks.length > 0 && (
        <div className="checks">
          <p className="checks__title">{t("mode.checks")}</p>
          <ul className="checklist" data-testid="preflight-checks">
            {checks.map((check, index) => (
              <li key={`${check.rule}-${index}`} className={`check check--${check.status}`}>
                <span className="check__icon" aria-hidden="true">
                  {CHECK_ICON[check.status]}
                </span>
                <span className="sr-only">{t(`check.${check.status}`)}: </span>
                <span className="check__body">
                  {check.rule !== "" && <span className="check__rule">{check.rule}</span>}
                  <span className="check__message">{check.message}</span>
                  {check.fix !== null && check.fix !== "" && (
                    <span className="check__fix">
                      {t("error.fix")}: {check.fix}
                    </span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </ErrorNotice>
  );
}
