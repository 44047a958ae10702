import { ErrorBanner } from "../../components/ErrorBanner";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ActivationSection } from "./ActivationSection";
import { DeprovisionSection } from "./DeprovisionSection";
import { DistributionSection } from "./DistributionSection";
import { KioskSection } from "./KioskSection";
import { LicencesSection } from "./LicencesSection";
import { TierSection } from "./TierSection";
import { useAdminStatus } from "./useAdminStatus";

interface Props {
  /** Bumped when the language changes: the back end's texts are localized, so read again. */
  epoch: number;
}

/**
 * Admin → Infrastructure → Help@Work: the tier (L1), Activate TeamViewer with the EULA (A1–A4),
 * unattended licences (U3), kiosk allowlist gaps (U4), app distribution (A6) and the
 * deprovisioning before the account binding is deleted (A5).
 */
export function AdminView({ epoch }: Props) {
  const t = useT();
  const { status, error, reload, apply } = useAdminStatus(epoch);

  let body;
  if (status === null && error) {
    body = <ErrorNotice title={t("admin.loadFailed")} error={error} onRetry={reload} testId="admin-error" />;
  } else if (status === null) {
    body = (
      <p className="status-line status-line--delayed" role="status" data-testid="admin-loading">
        <span className="spinner" aria-hidden="true" /> {t("admin.loading")}
      </p>
    );
  } else {
    body = (
      <>
        {error && (
          <ErrorBanner
            text={t("admin.refreshFailed", { message: error.message })}
            error={error}
            onRetry={reload}
            testId="admin-refresh-error"
          />
        )}
        <TierSection status={status} onStatus={apply} />
        <ActivationSection status={status} onStatus={apply} />
        <LicencesSection licences={status.unattended_licences} onStatus={apply} />
        <KioskSection status={status} />
        <DistributionSection onChanged={reload} />
        <DeprovisionSection status={status} onStatus={apply} onRefresh={reload} />
      </>
    );
  }

  return (
    <main className="admin" aria-labelledby="admin-heading" data-testid="admin-view">
      <div className="admin__content">
        <nav className="breadcrumb" aria-label={t("admin.breadcrumb")} data-testid="admin-breadcrumb">
          <ol className="breadcrumb__list">
            <li>{t("admin.crumbAdmin")}</li>
            <li>
              <span className="breadcrumb__sep" aria-hidden="true">
                {" → "}
              </span>
              {t("admin.crumbInfrastructure")}
            </li>
            <li aria-current="page">
              <span className="breadcrumb__sep" aria-hidden="true">
                {" → "}
              </span>
              {t("admin.crumbHelpAtWork")}
            </li>
          </ol>
        </nav>
        <h1 id="admin-heading" className="view-title">
          {t("admin.title")}
        </h1>
        {body}
      </div>
    </main>
  );
}
