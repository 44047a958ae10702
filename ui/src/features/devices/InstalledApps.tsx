import type { InstalledApp } from "../../bindings/InstalledApp";
import { useT } from "../../i18n/context";
import { factKey } from "./facts";
import { APP_LABEL } from "./labels";

interface Props {
  /** `null`: the source cannot see the device's installed apps (unknown, not none). */
  apps: readonly InstalledApp[] | null;
  /** The MDM that reported the device; `null`: a fleet file. */
  reportedBy: string | null;
}

export function InstalledApps({ apps, reportedBy }: Props) {
  const t = useT();
  return (
    <section className="detail__section" aria-labelledby="detail-apps">
      <h3 id="detail-apps" className="detail__heading">
        {t("detail.apps")}
      </h3>
      {apps === null ? (
        <p className="muted" data-testid="apps-unknown">
          {reportedBy === null ? t("detail.appsUnknownFile") : t("detail.appsUnknownMdm", { mdm: reportedBy })}
        </p>
      ) : apps.length === 0 ? (
        <p className="muted">{t("detail.noApps")}</p>
      ) : (
        <table className="mini-table" aria-labelledby="detail-apps">
          <thead>
            <tr>
              <th scope="col">{t("detail.app")}</th>
              <th scope="col">{t("detail.version")}</th>
              <th scope="col">{t("detail.managed")}</th>
              <th scope="col">{t("detail.allowlisted")}</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((app) => (
              <tr key={app.app}>
                <th scope="row">
                  {t(APP_LABEL[app.app])}
                  {app.installing === true && <span className="muted"> ({t("detail.installing")})</span>}
                </th>
                <td className="tabular">{app.version ?? t("detail.unknown")}</td>
                <td>{t(factKey(app.managed))}</td>
                <td>{t(factKey(app.allowlisted))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
