import { useId, useState } from "react";
import { ErrorNotice } from "../../components/ErrorNotice";
import { WarningList } from "../../components/WarningList";
import { useT } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { toIpcError, type IpcError } from "../../ipc";
import { useAuth } from "./context";

interface Failure {
  title: MessageKey;
  error: IpcError;
  retry?: () => void;
}

/**
 * The header's account area (S3): "Not signed in" and **Sign in to TeamViewer**, or the account
 * name (e-mail as its title) and **Sign out**. While the browser round trip runs it says so and
 * the button is disabled. Without TeamViewer app credentials the button is disabled, with a hint.
 * A failure opens a notice under the header with the message and the fix.
 */
export function AccountArea() {
  const t = useT();
  const auth = useAuth();
  const hintId = useId();
  const [failure, setFailure] = useState<Failure | null>(null);
  const [loadErrorDismissed, setLoadErrorDismissed] = useState<IpcError | null>(null);

  const { status, busy, loadError } = auth;

  const signIn = () => {
    if (busy !== null || status?.configured !== true) return;
    setFailure(null);
    auth.signIn().catch((error: unknown) => {
      setFailure({ title: "account.signInFailed", error: toIpcError("sign_in", error) });
    });
  };

  const signOut = () => {
    if (busy !== null) return;
    setFailure(null);
    auth.signOut().catch((error: unknown) => {
      setFailure({ title: "account.signOutFailed", error: toIpcError("sign_out", error) });
    });
  };

  // A failed auth_status is shown once per failure; Dismiss hides it until the next one.
  const shown: Failure | null =
    failure ??
    (loadError && loadError !== loadErrorDismissed
      ? { title: "account.statusFailed", error: loadError, retry: auth.reload }
      : null);

  const dismiss = () => {
    setFailure(null);
    setLoadErrorDismissed(loadError);
  };

  let content;
  if (status === null) {
    content = loadError ? (
      <>
        <span className="account__text">{t("account.unknown")}</span>
        <button type="button" className="button button--small" onClick={auth.reload}>
          {t("error.retry")}
        </button>
      </>
    ) : null;
  } else if (status.signed_in) {
    const title = [status.account?.email, status.method === "script_token" ? t("account.scriptToken") : null]
      .filter((part): part is string => typeof part === "string" && part !== "")
      .join(" · ");
    const name = status.account && status.account.name !== "" ? status.account.name : t("account.signedIn");
    content = (
      <>
        <span className="account__name truncate" data-testid="account-name" title={title === "" ? undefined : title}>
          <span className="account__dot" aria-hidden="true" />
          {name}
        </span>
        {busy === "signing_out" && (
          <span className="account__text" role="status">
            {t("account.signingOut")}
          </span>
        )}
        <button
          type="button"
          className="button button--small"
          aria-disabled={busy !== null ? true : undefined}
          data-testid="sign-out-button"
          onClick={signOut}
        >
          {t("account.signOut")}
        </button>
      </>
    );
  } else {
    const configured = status.configured;
    content = (
      <>
        {busy === "signing_in" ? (
          <span className="account__text" role="status" data-testid="account-busy">
            <span className="spinner spinner--small" aria-hidden="true" /> {t("account.signingIn")}
          </span>
        ) : (
          <span className={`account__text account__text--signed-out${configured ? "" : " account__text--before-hint"}`}>
            {t("account.notSignedIn")}
          </span>
        )}
        {!configured && (
          <span id={hintId} className="account__hint truncate" title={t("account.notConfigured")}>
            {t("account.notConfigured")}
          </span>
        )}
        <button
          type="button"
          className="button button--small button--primary"
          aria-disabled={busy !== null || !configured ? true : undefined}
          aria-describedby={configured ? undefined : hintId}
          title={configured ? undefined : t("account.notConfigured")}
          data-testid="sign-in-button"
          onClick={signIn}
        >
          {t("account.signIn")}
        </button>
      </>
    );
  }

  return (
    <div className="account" role="group" aria-label={t("account.label")} data-testid="account-area">
      {content}
      {shown && (
        <div className="account__popover">
          <ErrorNotice title={t(shown.title)} error={shown.error} onRetry={shown.retry} testId="account-error">
            <button type="button" className="button button--small" onClick={dismiss}>
              {t("account.dismiss")}
            </button>
          </ErrorNotice>
        </div>
      )}
      {!shown && status !== null && status.warnings.length > 0 && (
        // A sign-out TeamViewer did not confirm: the token may live until it expires.
        <div className="account__popover">
          <WarningList title="account.warning" warnings={status.warnings} testId="account-warnings" />
        </div>
      )}
    </div>
  );
}
