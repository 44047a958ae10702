import { useId } from "react";
import { useT } from "../../i18n/context";
import { useAuth } from "./context";

interface Props {
  /** This caller's sign-in is running (the button is disabled meanwhile). */
  signingIn: boolean;
  onSignIn: () => void;
}

/**
 * S3: **Sign in to TeamViewer and continue**: the caller signs in (OAuth in the browser) and then
 * runs what needed the sign-in again by itself (a session start, an activation). Shared by the
 * mode dialog and the admin's EULA dialog. Without TeamViewer app credentials the button is
 * disabled, with the hint.
 */
export function SignInAndContinue({ signingIn, onSignIn }: Props) {
  const t = useT();
  const { status, busy } = useAuth();
  const hintId = useId();
  const notConfigured = status?.configured === false;
  // A sign-in already running (started in the header) is the same browser round trip: the
  // button joins it, and the caller continues when it is done.
  const waiting = signingIn || busy === "signing_in";
  return (
    <div className="sign-in-continue">
      <button
        type="button"
        className="button button--primary"
        aria-disabled={signingIn || notConfigured ? true : undefined}
        aria-describedby={notConfigured ? hintId : undefined}
        data-testid="sign-in-continue"
        onClick={() => {
          if (!signingIn && !notConfigured) onSignIn();
        }}
      >
        {t("mode.signInContinue")}
      </button>
      {waiting && (
        <span className="account__text" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> {t("account.signingIn")}
        </span>
      )}
      {notConfigured && (
        <p id={hintId} className="hint">
          {t("account.notConfigured")}
        </p>
      )}
    </div>
  );
}
