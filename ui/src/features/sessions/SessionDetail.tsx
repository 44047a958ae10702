import { useEffect, useId, useRef, useState } from "react";
import type { Session } from "../../bindings/Session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { useAuth } from "../account/context";
import { SignInAndContinue } from "../account/SignInAndContinue";
import { SessionPanel } from "../session/SessionPanel";

interface Props {
  session: Session;
  onChange: (session: Session) => void;
  onClose: () => void;
}

type Restart = { status: "idle" } | { status: "pending" } | { status: "failed"; error: IpcError } | { status: "signing_in"; error: IpcError };

/**
 * The side panel of one session in the Sessions view: the session panel of the mode dialog
 * (state, code, iOS countdown, open again, close), and Start again (S9) for the same device, mode
 * and reason. A start that needs the sign-in offers it and continues (S3). Esc closes the panel.
 */
export function SessionDetail({ session, onChange, onClose }: Props) {
  const t = useT();
  const signIn = useAuth().signIn;
  const titleId = useId();
  const panel = useRef<HTMLElement>(null);
  const [restart, setRestart] = useState<Restart>({ status: "idle" });

  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (panel.current?.contains(document.activeElement ?? null)) {
        event.preventDefault();
        onClose();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [onClose]);

  const startAgain = () => {
    if (restart.status === "pending" || restart.status === "signing_in") return;
    setRestart({ status: "pending" });
    ipc.startSession(session.device_id, session.mode, session.reason).then(
      (started) => {
        if (!mounted.current) return;
        setRestart({ status: "idle" });
        onChange(started);
      },
      (raw: unknown) => {
        if (mounted.current) setRestart({ status: "failed", error: toIpcError("start_session", raw) });
      },
    );
  };

  const signInAndContinue = () => {
    if (restart.status !== "failed") return;
    const { error } = restart;
    setRestart({ status: "signing_in", error });
    signIn().then(
      () => {
        if (mounted.current) {
          setRestart({ status: "idle" });
          startAgain();
        }
      },
      () => {
        if (mounted.current) setRestart({ status: "failed", error });
      },
    );
  };

  const failure = restart.status === "failed" || restart.status === "signing_in" ? restart.error : null;

  return (
    <aside ref={panel} className="detail" aria-labelledby={titleId} data-testid="session-detail">
      <div className="detail__header">
        <h2 id={titleId} className="detail__title">
          {t("session.dialogTitle", { device: session.device_id })}
        </h2>
        <button type="button" className="icon-button" aria-label={t("sessions.closeDetail")} onClick={onClose}>
          ✕
        </button>
      </div>
      <div className="detail__content detail__content--padded">
        <SessionPanel
          key={session.id}
          session={session}
          onChange={onChange}
          onStartAgain={startAgain}
          starting={restart.status === "pending" || restart.status === "signing_in"}
        />
        {failure && (
          <div className="start-result">
            <ErrorNotice title={t("mode.failed")} error={failure} testId="restart-error">
              {failure.code === "sign_in_needed" && (
                <SignInAndContinue signingIn={restart.status === "signing_in"} onSignIn={signInAndContinue} />
              )}
            </ErrorNotice>
          </div>
        )}
      </div>
    </aside>
  );
}
