import { useId } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc, isTier } from "../../ipc";
import { AdminSection } from "./AdminSection";
import { TIER_LABEL, TIERS } from "./labels";
import { useCommand } from "./useCommand";

interface Props {
  status: AdminStatus;
  onStatus: (status: AdminStatus) => void;
}

/** L1: the tenant's licence tier; below Platinum, Help@Work is locked and the banner says why. */
export function TierSection({ status, onStatus }: Props) {
  const t = useT();
  const id = useId();
  const command = useCommand<AdminStatus>("set_tier");
  const tierName = status.tier === null ? null : t(TIER_LABEL[status.tier]);

  return (
    <AdminSection title={t("tier.heading")} testId="tier-section">
      <div className="field">
        <label htmlFor={`${id}-tier`} className="field__label">
          {t("tier.label")}
        </label>
        <select
          id={`${id}-tier`}
          className="select"
          value={status.tier ?? ""}
          aria-disabled={command.pending ? true : undefined}
          data-testid="tier-select"
          onChange={(event) => {
            const next = event.target.value;
            if (!isTier(next) || command.pending) return;
            command.run(() => ipc.setTier(next), onStatus);
          }}
        >
          {status.tier === null && (
            <option value="" disabled>
              {t("tier.notSet")}
            </option>
          )}
          {TIERS.map((tier) => (
            <option key={tier} value={tier}>
              {t(TIER_LABEL[tier])}
            </option>
          ))}
        </select>
        {command.pending && (
          <span className="hint" role="status">
            {t("admin.saving")}
          </span>
        )}
      </div>
      {status.locked && (
        // L1: Help@Work needs the Platinum tier; lower tiers see it locked, with the reason.
        <div className="notice notice--warn locked-banner" role="status" data-testid="locked-banner">
          <p className="notice__title">{t("tier.locked")}</p>
          <p>{tierName === null ? t("tier.lockedNoTier") : t("tier.lockedTier", { tier: tierName })}</p>
          <p>{t("tier.lockedReason")}</p>
        </div>
      )}
      {command.state.status === "failed" && (
        <ErrorNotice title={t("tier.failed")} error={command.state.error} testId="tier-error" />
      )}
    </AdminSection>
  );
}
