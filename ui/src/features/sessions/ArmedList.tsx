import { useState } from "react";
import type { ArmedSession } from "../../bindings/ArmedSession";
import { ErrorBanner } from "../../components/ErrorBanner";
import { useI18n } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import type { ArmedState } from "./useArmed";

interface Props {
  state: ArmedState;
}

/**
 * The armed sessions still waiting for their device's check-in: the device, the agent, until
 * when, and Cancel (the back end refuses another agent's with a conflict, shown here). Nothing
 * when none waits.
 */
export function ArmedList({ state }: Props) {
  const { t, formatDateTime } = useI18n();
  const [cancelling, setCancelling] = useState<string | null>(null);
  const [failed, setFailed] = useState<IpcError | null>(null);
  const waiting = (state.armed ?? []).filter((a) => a.state === "armed");

  const cancel = (a: ArmedSession) => {
    setCancelling(a.id);
    setFailed(null);
    ipc.cancelArmed(a.id).then(
      () => {
        setCancelling(null);
        state.reload();
      },
      (raw: unknown) => {
        setCancelling(null);
        setFailed(toIpcError("cancel_armed", raw));
      },
    );
  };

  if (waiting.length === 0 && !state.error && !failed) return null;
  return (
    <section className="armed" aria-labelledby="armed-title" data-testid="armed-sessions">
      <h2 id="armed-title" className="section-title">
        {t("armed.title")}
      </h2>
      <p className="muted">{t("armed.hint")}</p>
      {state.error && <ErrorBanner text={t("armed.loadFailed")} error={state.error} onRetry={state.reload} testId="armed-error" />}
      {failed && <ErrorBanner text={t("armed.cancelFailed")} error={failed} onRetry={state.reload} testId="armed-cancel-error" />}
      <ul className="armed__list">
        {waiting.map((a) => (
          <li key={a.id} className="armed__item" data-testid="armed-row" data-armed-id={a.id}>
            <span className="armed__device">
              <span className="sr-only">{t("armed.device")}: </span>
              {a.device_id}
            </span>{" "}
            <span className="muted">
              {t("armed.agent")}: {a.agent}
            </span>{" "}
            <span>
              {t("armed.expires")}:{" "}
              <time dateTime={a.expires_at} data-testid="armed-expires">
                {formatDateTime(a.expires_at)}
              </time>
            </span>
            {a.rearm_of && <span className="muted"> · {t("armed.rearmOf", { id: a.rearm_of })}</span>}{" "}
            <button
              type="button"
              className="button button--small"
              data-testid="armed-cancel"
              aria-disabled={cancelling === a.id ? true : undefined}
              onClick={() => {
                if (cancelling !== a.id) cancel(a);
              }}
            >
              {cancelling === a.id ? t("armed.cancelling") : t("armed.cancel")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
