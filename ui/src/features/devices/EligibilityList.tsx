import type { ModeEligibility } from "../../bindings/ModeEligibility";
import { ReadinessBadge } from "../../components/ReadinessBadge";
import { useT } from "../../i18n/context";

export function EligibilityList({ eligibility }: { eligibility: readonly ModeEligibility[] }) {
  const t = useT();
  return (
    <section className="detail__section" aria-labelledby="detail-eligibility">
      <h3 id="detail-eligibility" className="detail__heading">
        {t("detail.eligibility")}
      </h3>
      <ul className="eligibility">
        {eligibility.map((entry) => (
          <li key={entry.mode} className="eligibility__mode" data-mode={entry.mode}>
            <div className="eligibility__head">
              <span className="eligibility__name">
                {entry.mode === "attended" ? t("mode.attendedShort") : t("mode.unattendedShort")}
              </span>
              <ReadinessBadge readiness={entry.status} />
            </div>
            {entry.reasons.length === 0 ? (
              <p className="muted eligibility__none">{t("detail.noReasons")}</p>
            ) : (
              <ul className="reasons">
                {entry.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
