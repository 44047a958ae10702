import { useEffect, useId, useState } from "react";
import type { HostStatus } from "../../bindings/HostStatus";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useI18n } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { ipc, toIpcError, type IpcError } from "../../ipc";

const STATE: Readonly<Record<string, MessageKey>> = {
  online: "host.state.online",
  busy: "host.state.busy",
  away: "host.state.away",
  offline: "host.state.offline",
};

interface Props {
  deviceId: string;
  /** The Host as last read (from `get_device`), shown until TeamViewer answers. */
  initial: HostStatus;
}

/**
 * The device's TeamViewer Host (unattended): the TeamViewer device it is matched to (by the
 * alias Help@Work writes into Host's assignment configuration, or confirmed by an admin),
 * whether it is assigned to the account, online, and when it was last seen. Read from TeamViewer
 * when the panel opens. Not matched: the fix, and the account's devices that may be this one,
 * each with Confirm match.
 */
export function HostSection({ deviceId, initial }: Props) {
  const { t, formatDateTime } = useI18n();
  const titleId = useId();
  const [host, setHost] = useState<HostStatus>(initial);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<IpcError | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [confirmError, setConfirmError] = useState<IpcError | null>(null);

  useEffect(() => {
    let live = true;
    ipc.hostStatus(deviceId).then(
      (fresh) => {
        if (!live) return;
        setHost(fresh);
        setLoading(false);
      },
      (raw: unknown) => {
        if (!live) return;
        setError(toIpcError("host_status", raw));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [deviceId]);

  const confirm = (remotecontrolId: string) => {
    if (confirming !== null) return;
    setConfirming(remotecontrolId);
    setConfirmError(null);
    ipc.confirmHostMatch(deviceId, remotecontrolId).then(
      (matched) => {
        setConfirming(null);
        setHost(matched);
      },
      (raw: unknown) => {
        setConfirming(null);
        setConfirmError(toIpcError("confirm_host_match", raw));
      },
    );
  };

  const reachable = host.online_state === "online" || host.online_state === "busy" || host.online_state === "away";
  return (
    <section className="host" aria-labelledby={titleId} aria-busy={loading} data-testid="host-section" data-matched={host.matched}>
      <h3 id={titleId} className="host__title">
        {t("host.title")}
      </h3>
      {loading && (
        <p className="status-line status-line--delayed" role="status">
          <span className="spinner" aria-hidden="true" /> {t("host.loading")}
        </p>
      )}
      {error && <ErrorNotice title={t("host.loadFailed")} error={error} testId="host-error" />}
      {host.matched ? (
        <dl className="facts facts--compact">
          <div className="facts__row">
            <dt>{t("host.teamviewerId")}</dt>
            <dd data-testid="host-teamviewer-id">{host.teamviewer_id}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("host.match")}</dt>
            <dd data-testid="host-matched-by">
              {host.matched_by === "confirmed"
                ? t("host.byConfirmed", { who: host.confirmed_by ?? "?" })
                : t("host.byAlias")}
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t("host.assigned")}</dt>
            <dd data-testid="host-assigned">{host.assigned ? t("host.yes") : t("host.no")}</dd>
          </div>
          <div className="facts__row">
            <dt>{t("host.state")}</dt>
            <dd data-testid="host-state" data-state={host.online_state ?? "unknown"}>
              {t(STATE[host.online_state ?? ""] ?? "host.state.unknown")}
            </dd>
          </div>
          <div className="facts__row">
            <dt>{t("host.lastSeen")}</dt>
            <dd data-testid="host-last-seen">
              {host.last_seen !== null ? (
                <time dateTime={host.last_seen}>{formatDateTime(host.last_seen)}</time>
              ) : reachable ? (
                t("host.now")
              ) : (
                t("host.state.unknown")
              )}
            </dd>
          </div>
        </dl>
      ) : (
        <div className="notice notice--warn" data-testid="host-not-matched">
          <p>{t("host.notMatched", { alias: host.expected_alias })}</p>
          <p className="hint">{t("host.notMatchedFix")}</p>
          {host.candidates.length > 0 && (
            <>
              <p className="hint">{t("host.candidates")}</p>
              <ul className="host__candidates">
                {host.candidates.map((candidate) => (
                  <li key={candidate.remotecontrol_id} className="host__candidate" data-testid="host-candidate">
                    <span>
                      {candidate.alias} <code className="muted">{candidate.remotecontrol_id}</code>
                    </span>
                    <button
                      type="button"
                      className="button button--small"
                      aria-disabled={confirming !== null ? true : undefined}
                      data-testid="host-confirm"
                      onClick={() => {
                        confirm(candidate.remotecontrol_id);
                      }}
                    >
                      {confirming === candidate.remotecontrol_id ? t("host.confirming") : t("host.confirm")}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {host.note !== null && !loading && (
        <p className="hint" data-testid="host-note">
          {host.note}
        </p>
      )}
      {confirmError && <ErrorNotice title={t("host.confirmFailed")} error={confirmError} testId="host-confirm-error" />}
    </section>
  );
}
