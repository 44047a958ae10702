import type { InstalledApp } from "../../bindings/InstalledApp";
import { useT } from "../../i18n/context";
import { APP_LABEL } from "./labels";

export function InstalledApps({ apps }: { apps: readonly InstalledApp[] }) {
  const t = useT();
  const yesNo = (value: boolean) => (value ? t("detail.yes") : t("detail.no"));
  return (
    <section className="detail__section" aria-labelledby="detail-apps">
      <h3 id="detail-apps" className="detail__heading">
        {t("detail.apps")}
      </h3>
      {apps.length === 0 ? (
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
                <th scope="row">{t(APP_LABEL[app.app])}</th>
                <td className="tabular">{app.version}</td>
                <td>{yesNo(app.managed)}</td>
                <td>{yesNo(app.allowlisted)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
