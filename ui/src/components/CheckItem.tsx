import type { ReactNode } from "react";
import type { Check } from "../bindings/Check";
import { useT } from "../i18n/context";

/** Icon and text together: a check's status never relies on colour alone. */
export const CHECK_ICON = { pass: "✓", warn: "!", block: "✕" } as const;

interface Props {
  check: Check;
  testId?: string;
  /** Something the app can do about the check itself (e.g. Sign in for S3). */
  action?: ReactNode;
}

/** One preflight check: status icon (and its word for screen readers), rule id, message, fix. */
export function CheckItem({ check, testId, action }: Props) {
  const t = useT();
  return (
    <li
      className={`check check--${check.status}`}
      data-testid={testId}
      data-rule={check.rule}
      data-status={check.status}
    >
      <span className="check__icon" aria-hidden="true">
        {CHECK_ICON[check.status]}
      </span>
      <span className="sr-only">{t(`check.${check.status}`)}: </span>
      <span className="check__body">
        <span className="check__rule">{check.rule}</span>
        <span className="check__message">{check.message}</span>
        {check.fix !== null && check.fix !== "" && (
          <span className="check__fix">
            {t("error.fix")}: {check.fix}
          </span>
        )}
      </span>
      {action !== undefined && <span className="check__action">{action}</span>}
    </li>
  );
}
