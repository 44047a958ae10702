import type { ReactNode } from "react";
import type { IpcError } from "../ipc";
import { useT } from "../i18n/context";

interface Props {
  title: string;
  error: IpcError;
  onRetry?: () => void;
  testId?: string;
  /** Extra detail under the fix, e.g. the failed preflight checks. */
  children?: ReactNode;
}

/** An `ApiError` as the user meets it: what happened, and how to fix it. */
export function ErrorNotice({ title, error, onRetry, testId, children }: Props) {
  const t = useT();
  const message =
    error.kind === "unavailable"
      ? t("error.unavailable")
      : error.kind === "unexpected"
        ? t("error.unexpected", { message: error.message })
        : error.message;
  const fix = error.kind === "unavailable" ? t("error.unavailableFix") : error.fix;
  return (
    <div className="notice notice--error" role="alert" data-testid={testId} data-error-code={error.code}>
      <p className="notice__title">{title}</p>
      <p className="notice__message">{message}</p>
      {fix !== null && fix !== "" && (
        <p className="notice__fix">
          <strong>{t("error.fix")}:</strong> {fix}
        </p>
      )}
      {children}
      <p className="notice__code">{t("error.code", { code: error.code })}</p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {t("error.retry")}
        </button>
      )}
    </div>
  );
}
