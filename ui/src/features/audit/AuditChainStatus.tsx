import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { useAuditVerification } from "./useAudit";

interface Props {
  /** Bumped when the language changes. */
  epoch: number;
}

/**
 * The audit trail's hash chain (docs/audit.md, "Tamper-evident trail"), verified by the back end
 * when the view opens: "Verified up to ⟨event⟩", or the first broken link in a warning with what
 * differs and the fix. The back end describes what broke, in the agent's language.
 */
export function AuditChainStatus({ epoch }: Props) {
  const { t, tn, formatDateTime, formatNumber } = useI18n();
  const { verification, error, checking, reload } = useAuditVerification(epoch);

  if (verification === null && error) {
    return <ErrorNotice title={t("audit.chain.failed")} error={error} onRetry={reload} testId="audit-chain-error" />;
  }
  if (verification === null) {
    return (
      <p className="status-line status-line--delayed" role="status" data-testid="audit-chain-checking">
        <span className="spinner" aria-hidden="true" /> {t("audit.chain.checking")}
      </p>
    );
  }
  const upTo = verification.verified_up_to;
  const upToText =
    upTo === null
      ? null
      : t("audit.chain.verifiedUpTo", {
          id: upTo.id,
          seq: upTo.seq === null ? "–" : formatNumber(upTo.seq),
          action: upTo.action,
          at: formatDateTime(upTo.at),
        });
  const again = (
    <button type="button" className="button button--small" disabled={checking} data-testid="audit-chain-again" onClick={reload}>
      {checking ? t("audit.chain.checking") : t("audit.chain.again")}
    </button>
  );

  if (verification.intact) {
    return (
      <div className="notice notice--success audit__chain" role="status" data-testid="audit-chain" data-intact="true">
        <p className="notice__title">{upToText ?? t("audit.chain.empty")}</p>
        {upTo !== null && (
          <p className="notice__message">
            {tn("audit.chain.intact", verification.verified)}
            {upTo.hash !== null && (
              <>
                {" "}
                <span className="muted" title={upTo.hash}>
                  {t("audit.chain.hash", { hash: upTo.hash.slice(0, 16) })}
                </span>
              </>
            )}
          </p>
        )}
        {again}
      </div>
    );
  }

  const broken = verification.broken;
  return (
    <div
      className="notice notice--warn audit__chain"
      role="alert"
      data-testid="audit-chain"
      data-intact="false"
      data-break-kind={broken?.kind}
      data-break-event={broken?.event?.id}
    >
      <p className="notice__title">{t("audit.chain.broken")}</p>
      <p className="notice__message" data-testid="audit-chain-message">
        {broken?.description ?? verification.message}
      </p>
      {broken !== null && (
        <dl className="audit__chain-diff">
          <dt>{t("audit.chain.expected")}</dt>
          <dd>
            <code>{broken.expected}</code>
          </dd>
          <dt>{t("audit.chain.found")}</dt>
          <dd>
            <code>{broken.found}</code>
          </dd>
        </dl>
      )}
      {verification.fix !== null && (
        <p className="notice__fix">
          <strong>{t("error.fix")}:</strong> {verification.fix}
        </p>
      )}
      <p className="notice__message">{upToText ?? t("audit.chain.noneVerified")}</p>
      {again}
    </div>
  );
}
