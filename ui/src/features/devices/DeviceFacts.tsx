import type { ReactNode } from "react";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import { useI18n } from "../../i18n/context";
import { PLATFORM_LABEL } from "./labels";
import { visibleText } from "../../text";

/** The device's locale as its source reports it, or who cannot report it. */
function localeText(detail: DeviceDetail, t: ReturnType<typeof useI18n>["t"]): string {
  if (detail.locale !== null) {
    return visibleText(detail.locale);
  }
  return detail.reported_by === null
    ? t("detail.localeUnknownFile")
    : t("detail.localeUnknownMdm", { mdm: detail.reported_by });
}

export function DeviceFacts({ detail }: { detail: DeviceDetail }) {
  const { t, formatDateTime, formatRelative } = useI18n();
  const yesNo = (value: boolean) => (value ? t("detail.yes") : t("detail.no"));
  const facts: [string, ReactNode][] = [
    [t("detail.user"), visibleText(detail.user.name)],
    [t("detail.email"), detail.user.email],
    [t("detail.platform"), `${t(PLATFORM_LABEL[detail.platform])} ${detail.os_version}`],
    [t("detail.manufacturerModel"), `${detail.manufacturer} ${detail.model}`],
    [t("detail.kiosk"), yesNo(detail.kiosk)],
    [t("detail.mamOnly"), yesNo(detail.mam_only)],
    [t("detail.online"), yesNo(detail.online)],
    [
      t("detail.lastCheckin"),
      <time key="checkin" dateTime={detail.last_checkin} title={formatRelative(detail.last_checkin)}>
        {formatDateTime(detail.last_checkin)}
      </time>,
    ],
    [
      t("detail.hostActivated"),
      detail.host_activated === null
        ? t("detail.unknown")
        : detail.host_activated
          ? t("detail.done")
          : t("detail.notDone"),
    ],
    [t("detail.locale"), localeText(detail, t)],
    [t("detail.id"), <code key="id">{detail.id}</code>],
  ];
  if (detail.reported_by !== null) {
    facts.push([t("detail.reportedBy"), detail.reported_by]);
  }
  return (
    <section className="detail__section" aria-labelledby="detail-facts">
      <h3 id="detail-facts" className="detail__heading">
        {t("detail.facts")}
      </h3>
      <dl className="facts">
        {facts.map(([term, value]) => (
          <div key={term} className="facts__row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
