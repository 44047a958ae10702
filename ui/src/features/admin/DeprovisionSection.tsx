import { useState } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import { ipc } from "../../ipc";
import { AdminSection } from "./AdminSection";
import { DeviceIdList } from "./KioskSection";
import { useCommand } from "./useCommand";

interface Props {
  status: AdminStatus;
  onStatus: (status: AdminStatus) => void;
  /** Reads the status again (the devices report Host removed over time). */
  onRefresh: () => void;
}

/**
 * A5: to delete the TeamViewer account while unattended mode is in use, first deprovision
 * (undistribute Host from every device and force a check-in), wait until no device has Host,
 * then delete the account binding. The back end refuses the deletion while any device still has
 * Host and lists them; the list is shown with the refusal.
 */
export function DeprovisionSection({ status, onStatus, onRefresh }: Props) {
  const { t, tn } = useI18n();
  const deprovision = useCommand<AdminStatus>("deprovision");
  const remove = useCommand<AdminStatus>("delete_account");
  const busy = deprovision.pending || remove.pending;
  const hosts = status.devices_with_host.length;
  // How many devices had Host when deprovisioning started: the progress counts down from it.
  const [startCount, setStartCount] = useState<number | null>(null);

  const refused = remove.state.status === "failed" && remove.state.error.code === "conflict" ? remove.state.error : null;

  return (
    <AdminSection title={t("deprovision.heading")} hint={t("deprovision.hint")} testId="deprovision-section">
      <ol className="steps" aria-label={t("deprovision.steps")}>
        <li>{t("deprovision.step1")}</li>
        <li>{t("deprovision.step2")}</li>
        <li>{t("deprovision.step3")}</li>
      </ol>
      <p className="admin-section__fact" data-testid="deprovision-hosts">
        {hosts === 0 ? t("host.none") : tn("host.count", hosts)}
      </p>
      <div className="admin-section__actions">
        <button
          type="button"
          className="button"
          aria-disabled={busy ? true : undefined}
          data-testid="deprovision"
          onClick={() => {
            if (busy) return;
            remove.reset();
            setStartCount(hosts);
            deprovision.run(() => ipc.deprovision(), onStatus);
          }}
        >
          {deprovision.pending ? t("deprovision.running") : t("deprovision.button")}
        </button>
        <button
          type="button"
          className="button button--danger"
          aria-disabled={busy ? true : undefined}
          data-testid="delete-account"
          onClick={() => {
            if (busy) return;
            deprovision.reset();
            remove.run(() => ipc.deleteAccount(), onStatus);
          }}
        >
          {remove.pending ? t("deleteAccount.running") : t("deleteAccount.button")}
        </button>
      </div>
      {startCount !== null && startCount > 0 && (
        <div className="deprovision-progress" data-testid="deprovision-progress">
          <meter
            min={0}
            max={startCount}
            value={Math.max(0, startCount - hosts)}
            aria-label={t("deprovision.progressLabel")}
          />
          <p aria-live="polite">
            {t("deprovision.progress", { removed: String(Math.max(0, startCount - hosts)), total: String(startCount) })}
          </p>
          {hosts > 0 && (
            <>
              <p>{t("deprovision.waiting")}</p>
              <DeviceIdList ids={status.devices_with_host} testId="deprovision-waiting" />
              <button type="button" className="button button--small" data-testid="deprovision-refresh" onClick={onRefresh}>
                {t("deprovision.refresh")}
              </button>
            </>
          )}
        </div>
      )}
      <div aria-live="polite">
        {deprovision.state.status === "done" && (
          <p className="notice notice--success" data-testid="deprovision-done">
            {t("deprovision.done")}
          </p>
        )}
        {remove.state.status === "done" && (
          <p className="notice notice--success" data-testid="delete-account-done">
            {t("deleteAccount.done")}
          </p>
        )}
      </div>
      {deprovision.state.status === "failed" && (
        <ErrorNotice title={t("deprovision.failed")} error={deprovision.state.error} testId="deprovision-error" />
      )}
      {remove.state.status === "failed" && (
        <ErrorNotice title={t("deleteAccount.failed")} error={remove.state.error} testId="delete-account-error">
          {refused && refused.deviceIds.length > 0 && (
            <>
              <p>{tn("deleteAccount.refused", refused.deviceIds.length)}</p>
              <DeviceIdList ids={refused.deviceIds} testId="delete-refused-devices" />
            </>
          )}
        </ErrorNotice>
      )}
    </AdminSection>
  );
}
