import { useState } from "react";
import type { Check } from "../../bindings/Check";
import { CheckItem } from "../../components/CheckItem";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { toIpcError, type IpcError } from "../../ipc";
import { useAuth } from "../account/context";
import type { PreflightResult } from "./usePreflight";

interface Props {
  result: PreflightResult | null;
  loading: boolean;
  /** Runs the checks again (after the app fixed something, or on request). */
  onRecheck: () => void;
  headingId: string;
}

/**
 * The live preflight checklist of the start dialog (S1–S12, "Preflight"): every check as pass /
 * warn / block with its rule id, message and fix. Where the app can fix a check itself it offers
 * the fix next to it: for S3 (no TeamViewer token) **Sign in**, then the checks run again.
 */
export function PreflightChecklist({ result, loading, onRecheck, headingId }: Props) {
  const { t, tn } = useI18n();
  const auth = useAuth();
  const [signInError, setSignInError] = useState<IpcError | null>(null);

  const signIn = () => {
    if (auth.busy !== null) return;
    setSignInError(null);
    auth.signIn().then(onRecheck, (raw: unknown) => {
      setSignInError(toIpcError("sign_in", raw));
    });
  };

  const actionFor = (check: Check) => {
    // S3: the agent has no valid TeamViewer token; the account feature signs in.
    if (check.rule === "S3" && check.status === "warn" && auth.status?.configured !== false) {
      return (
        <button
          type="button"
          className="button button--small button--primary"
          aria-disabled={auth.busy !== null ? true : undefined}
          data-testid="preflight-sign-in"
          onClick={signIn}
        >
          {t("preflight.signIn")}
        </button>
      );
    }
    return undefined;
  };

  let body;
  if (result === null) {
    body = (
      <p className="status-line" role="status" data-testid="preflight-loading">
        <span className="spinner spinner--small" aria-hidden="true" /> {t("preflight.loading")}
      </p>
    );
  } else if (!result.ok) {
    body = (
      <ErrorNotice title={t("preflight.failed")} error={result.error} onRetry={onRecheck} testId="preflight-error">
        <p className="hint">{t("preflight.failedHint")}</p>
      </ErrorNotice>
    );
  } else {
    const blocks = result.preflight.checks.filter((check) => check.status === "block").length;
    body = (
      <>
        <p className={`preflight__summary preflight__summary--${blocks > 0 ? "block" : "pass"}`} data-testid="preflight-summary">
          {blocks > 0 ? tn("preflight.blocked", blocks) : t("preflight.allPass")}
        </p>
        <ul className="checklist" aria-labelledby={headingId} data-testid="preflight-checklist">
          {result.preflight.checks.map((check, index) => (
            <CheckItem key={`${check.rule}-${index}`} check={check} testId="preflight-check" action={actionFor(check)} />
          ))}
        </ul>
      </>
    );
  }

  return (
    <section className="preflight" aria-labelledby={headingId} aria-busy={loading}>
      <div className="preflight__head">
        <h3 id={headingId} className="preflight__title">
          {t("mode.checks")}
        </h3>
        {result !== null && (
          <button
            type="button"
            className="button button--small"
            aria-disabled={loading ? true : undefined}
            data-testid="preflight-recheck"
            onClick={() => {
              if (!loading) onRecheck();
            }}
          >
            {loading ? t("preflight.checking") : t("preflight.recheck")}
          </button>
        )}
      </div>
      <div aria-live="polite">{body}</div>
      {signInError && <ErrorNotice title={t("account.signInFailed")} error={signInError} testId="preflight-sign-in-error" />}
    </section>
  );
}
