import { useCallback, useEffect, useId, useRef, useState, type UIEvent } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import type { Eula } from "../../bindings/Eula";
import type { Mode } from "../../bindings/Mode";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Modal } from "../../components/Modal";
import { useT } from "../../i18n/context";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { useAuth } from "../account/context";
import { SignInAndContinue } from "../account/SignInAndContinue";
import { ACTIVATION_LABEL } from "./labels";

/** Within this many pixels of the bottom the text counts as read to the end. */
const END_SLACK_PX = 2;

type Text = { status: "loading" } | { status: "ready"; eula: Eula } | { status: "failed"; error: IpcError };

type Outcome =
  | { status: "idle" }
  | { status: "pending" }
  /** `signInError`: the sign-in offered for `sign_in_needed` did not finish. */
  | { status: "failed"; error: IpcError; signInError?: IpcError }
  /** S3: signing in after `sign_in_needed`; the activation runs again by itself when it is done. */
  | { status: "signing_in"; error: IpcError };

interface Props {
  mode: Mode;
  onClose: () => void;
  onActivated: (status: AdminStatus) => void;
}

function readToEnd(node: HTMLElement): boolean {
  return node.scrollTop + node.clientHeight >= node.scrollHeight - END_SLACK_PX;
}

/**
 * A2: the TeamViewer EULA before a mode is activated. The full text scrolls in its own region;
 * **I agree** is enabled once the text was shown to the end (scrolled, or short enough to fit),
 * and sends the SHA-256 of the very text shown, so the back end records which EULA was agreed
 * to. Cancel (or Esc) changes nothing. When the admin is not signed in to TeamViewer the dialog
 * offers the sign-in, then activates by itself; when the EULA changed meanwhile, the new text is
 * shown and must be read again.
 */
export function EulaDialog({ mode, onClose, onActivated }: Props) {
  const t = useT();
  const signIn = useAuth().signIn;
  const id = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const [text, setText] = useState<Text>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  // The SHA-256 of the text that was shown to the end; a new text must be read again.
  const [readSha, setReadSha] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ status: "idle" });

  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  useEffect(() => {
    let live = true;
    ipc.getEula().then(
      (eula) => {
        if (live) setText({ status: "ready", eula });
      },
      (raw: unknown) => {
        if (live) setText({ status: "failed", error: toIpcError("get_eula", raw) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  const eula = text.status === "ready" ? text.eula : null;
  const read = eula !== null && readSha === eula.sha256;
  const busy = outcome.status === "pending" || outcome.status === "signing_in";

  // The text region mounts once per text (keyed by its hash): a text that fits is read already.
  const measure = useCallback(
    (node: HTMLDivElement | null) => {
      if (node && eula && readToEnd(node)) setReadSha(eula.sha256);
    },
    [eula],
  );

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    if (eula && readToEnd(event.currentTarget)) setReadSha(eula.sha256);
  };

  const activate = useCallback(
    (sha256: string) => {
      setOutcome({ status: "pending" });
      ipc.activate(mode, sha256).then(
        (status) => {
          if (mounted.current) onActivated(status);
        },
        (raw: unknown) => {
          if (!mounted.current) return;
          const error = toIpcError("activate", raw);
          setOutcome({ status: "failed", error });
          // The EULA changed since it was shown: show the new text, to be read again.
          if (error.code === "conflict") {
            setText({ status: "loading" });
            setAttempt((n) => n + 1);
          }
        },
      );
    },
    [mode, onActivated],
  );

  const agree = () => {
    if (!eula || !read || busy) return;
    activate(eula.sha256);
  };

  const signInAndContinue = () => {
    if (outcome.status !== "failed" || !eula) return;
    const { error } = outcome;
    const sha256 = eula.sha256;
    setOutcome({ status: "signing_in", error });
    signIn().then(
      () => {
        if (mounted.current) activate(sha256);
      },
      (raw: unknown) => {
        if (mounted.current) setOutcome({ status: "failed", error, signInError: toIpcError("sign_in", raw) });
      },
    );
  };

  const close = () => {
    if (outcome.status !== "pending") onClose();
  };

  const failure = outcome.status === "failed" || outcome.status === "signing_in" ? outcome : null;
  const failureTitle =
    failure?.error.code === "sign_in_needed"
      ? "eula.signInNeeded"
      : failure?.error.code === "conflict"
        ? "eula.changed"
        : "eula.failed";

  return (
    <Modal labelledBy={`${id}-title`} onClose={close} initialFocus={cancelRef} testId="eula-dialog" className="modal--wide">
      <div className="modal__header">
        <h2 id={`${id}-title`} className="modal__title">
          {t("eula.title")}
        </h2>
        <p className="muted">{t("eula.for", { mode: t(ACTIVATION_LABEL[mode]) })}</p>
      </div>
      <div className="modal__body eula">
        {text.status === "loading" && (
          <p className="status-line" role="status">
            <span className="spinner spinner--small" aria-hidden="true" /> {t("eula.loading")}
          </p>
        )}
        {text.status === "failed" && (
          <ErrorNotice
            title={t("eula.loadFailed")}
            error={text.error}
            onRetry={() => {
              setText({ status: "loading" });
              setAttempt((n) => n + 1);
            }}
            testId="eula-error"
          />
        )}
        {eula && (
          <>
            <p className="eula__meta">
              <span data-testid="eula-version">{t("eula.version", { version: eula.version })}</span>
              {eula.source !== "" && <span className="muted">{t("eula.source", { source: eula.source })}</span>}
            </p>
            <div
              key={eula.sha256}
              ref={measure}
              className="eula__text"
              role="region"
              aria-label={t("eula.textLabel")}
              // A scrolling region must be reachable by keyboard to be read to the end (WCAG 2.1.1).
              // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
              tabIndex={0}
              data-testid="eula-text"
              onScroll={onScroll}
            >
              {eula.text}
            </div>
            {!read && (
              <p id={`${id}-scroll`} className="hint" data-testid="eula-scroll-hint">
                {t("eula.scrollHint")}
              </p>
            )}
          </>
        )}
        <div className="start-result" aria-live="polite">
          {failure && (
            <ErrorNotice title={t(failureTitle)} error={failure.error} testId="activate-error">
              {failure.error.code === "sign_in_needed" && (
                <SignInAndContinue signingIn={outcome.status === "signing_in"} onSignIn={signInAndContinue} />
              )}
            </ErrorNotice>
          )}
          {outcome.status === "failed" && outcome.signInError && (
            <ErrorNotice title={t("mode.signInFailed")} error={outcome.signInError} testId="sign-in-error" />
          )}
        </div>
      </div>
      <div className="modal__footer">
        <button ref={cancelRef} type="button" className="button" data-testid="eula-cancel" onClick={close}>
          {t("admin.cancel")}
        </button>
        <button
          type="button"
          className="button button--primary"
          aria-disabled={!read || busy ? true : undefined}
          aria-describedby={eula && !read ? `${id}-scroll` : undefined}
          data-testid="eula-agree"
          onClick={agree}
        >
          {outcome.status === "pending" ? t("eula.activating") : t("eula.agree")}
        </button>
      </div>
    </Modal>
  );
}
