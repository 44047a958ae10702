import { useEffect, useId, useRef, useState } from "react";
import type { Agent } from "../../bindings/Agent";
import type { Handover } from "../../bindings/Handover";
import type { Session } from "../../bindings/Session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Modal } from "../../components/Modal";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";

interface Props {
  session: Session;
  onDone: (handover: Handover) => void;
  onClose: () => void;
}

/**
 * Hand over (escalation to tier 2 without restarting on the device): pick one of the agents who
 * signed in to TeamViewer here, say why, confirm. The case is reassigned at TeamViewer to their
 * TeamViewer user and they hold the session from then on.
 */
export function HandOverDialog({ session, onDone, onClose }: Props) {
  const t = useT();
  const titleId = useId();
  const hintId = useId();
  const reasonRef = useRef<HTMLInputElement>(null);
  const [agents, setAgents] = useState<Agent[] | null>(null);
  const [loadError, setLoadError] = useState<IpcError | null>(null);
  const [to, setTo] = useState("");
  const [reason, setReason] = useState("");
  const [missingReason, setMissingReason] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.listAgents().then(
      (all) => {
        if (!live) return;
        const others = all.filter((agent) => !agent.me && agent.userid !== session.teamviewer_userid);
        setAgents(others);
        setTo(others[0]?.userid ?? "");
      },
      (raw: unknown) => {
        if (live) setLoadError(toIpcError("list_agents", raw));
      },
    );
    return () => {
      live = false;
    };
  }, [session.teamviewer_userid]);

  const submit = () => {
    if (busy || to === "") return;
    if (reason.trim() === "") {
      setMissingReason(true);
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    ipc.handOverSession(session.id, to, reason).then(
      (done) => {
        setBusy(false);
        onDone(done);
      },
      (raw: unknown) => {
        setBusy(false);
        setError(toIpcError("hand_over_session", raw));
      },
    );
  };

  const ready = agents !== null && agents.length > 0;
  return (
    <Modal labelledBy={titleId} describedBy={hintId} onClose={onClose} testId="handover-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <div className="modal__header">
          <h2 id={titleId} className="modal__title">
            {t("session.handOverTitle", { code: session.code ?? session.id })}
          </h2>
        </div>
        <div className="modal__body">
          <p id={hintId} className="hint">
            {t("session.handOverHint")}
          </p>
          {loadError && <ErrorNotice title={t("session.handOverAgentsFailed")} error={loadError} testId="handover-agents-error" />}
          {agents === null && !loadError && (
            <p className="status-line" role="status">
              <span className="spinner" aria-hidden="true" />
            </p>
          )}
          {agents !== null && agents.length === 0 && (
            <p className="notice notice--warn" data-testid="handover-no-agents">
              {t("session.handOverNoAgents")}
            </p>
          )}
          {ready && (
            <div className="handover__form">
              <label>
                {t("session.handOverTo")}
                <select
                  className="select"
                  value={to}
                  data-testid="handover-agent"
                  onChange={(event) => {
                    setTo(event.target.value);
                  }}
                >
                  {agents.map((agent) => (
                    <option key={agent.userid} value={agent.userid}>
                      {agent.name !== "" ? `${agent.name} (${agent.agent})` : agent.agent}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t("session.handOverReason")}
                <input
                  ref={reasonRef}
                  className="input"
                  value={reason}
                  maxLength={500}
                  aria-invalid={missingReason ? true : undefined}
                  placeholder={t("session.handOverReasonHint")}
                  data-testid="handover-reason"
                  onChange={(event) => {
                    setReason(event.target.value);
                    setMissingReason(false);
                  }}
                />
              </label>
              {missingReason && (
                <p className="field-error" role="alert" data-testid="handover-reason-missing">
                  {t("session.handOverNeedsReason")}
                </p>
              )}
            </div>
          )}
          {error && <ErrorNotice title={t("session.handOverFailed")} error={error} testId="handover-error" />}
        </div>
        <div className="modal__footer">
          <button type="button" className="button" data-testid="handover-cancel" onClick={onClose}>
            {t("session.handOverCancel")}
          </button>
          {ready && (
            <button
              type="submit"
              className="button button--primary"
              aria-disabled={busy ? true : undefined}
              data-testid="handover-confirm"
            >
              {busy ? t("session.handingOver") : t("session.handOverConfirm")}
            </button>
          )}
        </div>
      </form>
    </Modal>
  );
}
