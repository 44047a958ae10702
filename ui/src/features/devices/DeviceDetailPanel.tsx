import { useEffect, useId, useRef, useState } from "react";
import { ErrorNotice } from "../../components/ErrorNotice";
import { HostSection } from "../unattended/HostSection";
import { ReadinessBadge } from "../../components/ReadinessBadge";
import { useI18n } from "../../i18n/context";
import type { ArmedState } from "../sessions/useArmed";
import { ActionsMenu } from "./ActionsMenu";
import { DeviceFacts } from "./DeviceFacts";
import { DeviceManagement } from "./DeviceManagement";
import { EligibilityList } from "./EligibilityList";
import { InstalledApps } from "./InstalledApps";
import { ModeDialog } from "./ModeDialog";
import { useDeviceDetail } from "./useDeviceDetail";
import { visibleText } from "../../text";

interface Props {
  deviceId: string;
  /** Changes when the language changes: the back end's texts are localized, so refetch. */
  epoch: number;
  onClose: () => void;
  /** The window's armed sessions: one that holds this device is shown; arming reads them again. */
  armed?: ArmedState;
}

/**
 * The side panel for one device: facts, apps, what the MDM reports, eligibility per mode and the
 * Actions menu (S1). A fact the source could not report reads "Unknown", never "No". An armed
 * session waiting for the device's check-in is named, with its agent and until when.
 */
export function DeviceDetailPanel({ deviceId, epoch, onClose, armed }: Props) {
  const { t, formatDateTime } = useI18n();
  const titleId = useId();
  const panel = useRef<HTMLElement>(null);
  const [refreshes, setRefreshes] = useState(0);
  const [dialogOpen, setDialogOpen] = useState(false);
  const { result, loading } = useDeviceDetail(deviceId, `${epoch}:${refreshes}`);

  // Esc inside the panel closes it (menus and dialogs handle their own Esc first).
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (panel.current?.contains(document.activeElement ?? null)) {
        event.preventDefault();
        onClose();
      }
    };
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [onClose]);

  const detail = result?.ok === true ? result.detail : null;
  const waiting = armed?.armed?.find((a) => a.device_id === deviceId && a.state === "armed") ?? null;

  return (
    <aside ref={panel} className="detail" aria-labelledby={titleId} aria-busy={loading} data-testid="device-detail">
      <div className="detail__header">
        <div className="detail__title-block">
          <h2 id={titleId} className="detail__title">
            {detail ? visibleText(detail.name) : t("detail.title")}
          </h2>
          {detail && <ReadinessBadge readiness={detail.readiness} />}
        </div>
        <div className="detail__actions">
          {detail && (
            <ActionsMenu
              remoteAction={detail.remote_action}
              onStartRemote={() => {
                setDialogOpen(true);
              }}
              onRefresh={() => {
                setRefreshes((n) => n + 1);
              }}
            />
          )}
          <button type="button" className="icon-button" aria-label={t("detail.close")} onClick={onClose}>
            ✕
          </button>
        </div>
      </div>
      <div
        className="detail__content"
        role="region"
        aria-labelledby={titleId}
        // It scrolls when the device's facts do not fit: the keyboard must reach it (WCAG 2.1.1).
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={0}
      >
        {result === null && (
          <p className="status-line" role="status">
            <span className="spinner" aria-hidden="true" /> {t("detail.loading")}
          </p>
        )}
        {result?.ok === false && (
          <ErrorNotice
            title={t("detail.loadFailed")}
            error={result.error}
            onRetry={() => {
              setRefreshes((n) => n + 1);
            }}
          />
        )}
        {detail && waiting && (
          <p className="notice" data-testid="device-armed">
            {t("arm.waiting", { agent: waiting.agent, until: formatDateTime(waiting.expires_at) })}
          </p>
        )}
        {detail && (
          <>
            <DeviceFacts detail={detail} />
            <InstalledApps apps={detail.apps} reportedBy={detail.reported_by} />
            <DeviceManagement detail={detail} />
            <EligibilityList eligibility={detail.eligibility} />
            {detail.host && <HostSection key={`${detail.id}:${epoch}:${refreshes}`} deviceId={detail.id} initial={detail.host} />}
          </>
        )}
      </div>
      {dialogOpen && detail && (
        <ModeDialog
          detail={detail}
          onClose={() => {
            setDialogOpen(false);
          }}
          onArmed={armed?.reload}
        />
      )}
    </aside>
  );
}
