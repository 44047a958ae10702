import type { AdminStatus } from "../../bindings/AdminStatus";
import { useI18n } from "../../i18n/context";
import { AdminSection } from "./AdminSection";

/** How many device ids are listed before "and N more". */
const LIST_LIMIT = 50;

/**
 * U4: kiosk devices where Host or an add-on is not allowed in the kiosk; and how many devices
 * still report TeamViewer Host installed (A5 waits for none before the account binding goes).
 */
export function KioskSection({ status }: { status: AdminStatus }) {
  const { t, tn } = useI18n();
  const missing = status.kiosk_devices_missing_allowlist;
  const hosts = status.devices_with_host.length;
  return (
    <AdminSection title={t("kiosk.heading")} hint={t("kiosk.hint")} testId="kiosk-section">
      {missing.length === 0 ? (
        <p data-testid="kiosk-ok">
          <span className="ok-mark" aria-hidden="true">
            ✓{" "}
          </span>
          {t("kiosk.none")}
        </p>
      ) : (
        <>
          <p className="warn-text">{tn("kiosk.missing", missing.length)}</p>
          <DeviceIdList ids={missing} testId="kiosk-missing" />
          <p className="hint">{t("kiosk.fix")}</p>
        </>
      )}
      <p className="admin-section__fact" data-testid="host-count">
        {hosts === 0 ? t("host.none") : tn("host.count", hosts)}
      </p>
    </AdminSection>
  );
}

/** Device ids as a compact list; long lists are cut with "and N more". */
export function DeviceIdList({ ids, testId }: { ids: readonly string[]; testId?: string }) {
  const { tn } = useI18n();
  const shown = ids.slice(0, LIST_LIMIT);
  return (
    <>
      <ul className="id-list" data-testid={testId}>
        {shown.map((id) => (
          <li key={id}>
            <code>{id}</code>
          </li>
        ))}
      </ul>
      {ids.length > shown.length && <p className="hint">{tn("admin.more", ids.length - shown.length)}</p>}
    </>
  );
}
