import type { IpcError } from "../ipc";
import { useT } from "../i18n/context";

interface Props {
  /** What failed, with the error's message in it. */
  text: string;
  error: IpcError;
  onRetry: () => void;
  testId?: string;
}

/**
 * A failure beside data that stays on screen (a page of rows, a refresh): what happened, the fix
 * from the typed error when it has one, and Retry. `ErrorNotice` is for failures with nothing
 * else to show.
 */
export function ErrorBanner({ text, error, onRetry, testId }: Props) {
  const t = useT();
  return (
    <div className="banner banner--error" role="alert" data-testid={testId} data-error-code={error.code}>
      <span>
        {text}
        {error.fix !== null && error.fix !== "" && (
          <>
            {" "}
            <strong>{t("error.fix")}:</strong> {error.fix}
          </>
        )}
      </span>
      <button type="button" className="button button--small" onClick={onRetry}>
        {t("error.retry")}
      </button>
    </div>
  );
}
