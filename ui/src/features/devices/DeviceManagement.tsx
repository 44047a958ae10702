import type { DeviceDetail } from "../../bindings/DeviceDetail";
import { useT } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { factKey } from "./facts";

/** The device's MDM labels: listed, "None" when known to be in none, or who cannot report them. */
function labelsText(detail: DeviceDetail, t: ReturnType<typeof useT>): string {
  const labels = detail.labels;
  if (labels === null) {
    return detail.reported_by === null
      ? t("detail.labelsUnknownFile")
      : t("detail.labelsUnknownMdm", { mdm: detail.reported_by });
  }
  return labels.length === 0 ? t("detail.labelsNone") : labels.join(", ");
}

/** What the MDM reports about the device's management and security; "Unknown" where it does not. */
export function DeviceManagement({ detail }: { detail: DeviceDetail }) {
  const t = useT();
  const m = detail.management;
  const ownership: MessageKey =
    m.ownership === null ? "detail.unknown" : `detail.ownership.${m.ownership}`;
  const rows: [string, string][] = [
    [t("detail.compliant"), t(factKey(m.compliant))],
    [t("detail.quarantined"), t(factKey(m.quarantined))],
    [t("detail.jailbroken"), t(factKey(m.jailbroken))],
    [t("detail.supervised"), t(factKey(m.supervised))],
    [t("detail.lostMode"), t(factKey(m.lost_mode))],
    [t("detail.ownership"), t(ownership)],
    [t("detail.clientVersion"), m.client_version ?? t("detail.unknown")],
    [t("detail.labels"), labelsText(detail, t)],
  ];
  if (m.android_enrollment !== null) {
    rows.push([t("detail.androidEnrollment"), t(`detail.androidEnrollment.${m.android_enrollment}`)]);
  }
  return (
    <section className="detail__section" aria-labelledby="detail-management">
      <h3 id="detail-management" className="detail__heading">
        {t("detail.management")}
      </h3>
      <dl className="facts">
        {rows.map(([term, value]) => (
          <div key={term} className="facts__row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
