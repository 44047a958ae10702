import { useT } from "../i18n/context";
import type { MessageKey } from "../i18n/i18n";

interface Props {
  title: MessageKey;
  warnings: readonly string[];
  testId: string;
}

/**
 * Warnings the back end sends with an answer (a TeamViewer host outside TeamViewer's domain, a
 * store open read-only, a sign-out TeamViewer did not confirm): shown until the answer changes,
 * nothing when there are none.
 */
export function WarningList({ title, warnings, testId }: Props) {
  const t = useT();
  if (warnings.length === 0) return null;
  return (
    <div className="notice notice--warn" role="status" data-testid={testId}>
      <p className="notice__title">{t(title)}</p>
      <ul>
        {warnings.map((warning) => (
          <li key={warning}>{warning}</li>
        ))}
      </ul>
    </div>
  );
}
