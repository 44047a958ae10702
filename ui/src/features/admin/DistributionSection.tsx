import { useId, useState } from "react";
import type { AppKind } from "../../bindings/AppKind";
import type { DistributionResult } from "../../bindings/DistributionResult";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc } from "../../ipc";
import { APP_LABEL } from "../devices/labels";
import { AdminSection } from "./AdminSection";
import { useCommand } from "./useCommand";

const APPS: readonly AppKind[] = ["quicksupport", "host", "addon-universal", "addon-oem"];

function isAppKind(value: string): value is AppKind {
  return (APPS as readonly string[]).includes(value);
}

/** "a, b ,,c" → ["a", "b", "c"], without duplicates. */
export function parseDeviceIds(text: string): string[] {
  return [...new Set(text.split(/[,\s]+/).map((id) => id.trim()).filter((id) => id !== ""))];
}

interface Props {
  /** The distribution changed: licences (U3) and Host counts (A5) are read again. */
  onChanged: () => void;
}

/**
 * A6: the normal app distribution flow: QuickSupport (attended), Host (unattended) and the
 * universal or model/OEM add-on (needed to control, not only view). To the listed devices or to
 * all eligible ones. U3: Host beyond the purchased licences is refused with the numbers.
 */
export function DistributionSection({ onChanged }: Props) {
  const t = useT();
  const id = useId();
  const [app, setApp] = useState<AppKind>("quicksupport");
  const [devices, setDevices] = useState("");
  const [all, setAll] = useState(false);
  const [missing, setMissing] = useState(false);
  const command = useCommand<DistributionResult>("distribute_app");

  const send = (distribute: boolean) => {
    if (command.pending) return;
    const ids = all ? [] : parseDeviceIds(devices);
    if (!all && ids.length === 0) {
      setMissing(true);
      return;
    }
    setMissing(false);
    command.run(() => ipc.distributeApp(app, ids, all, distribute), onChanged);
  };

  const state = command.state;
  const numbers = state.status === "failed" && state.error.code === "conflict" ? state.error.licenceNumbers : null;

  return (
    <AdminSection title={t("distribution.heading")} hint={t("distribution.hint")} testId="distribution-section">
      <form
        className="distribution"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          send(true);
        }}
      >
        <div className="field field--stacked">
          <label htmlFor={`${id}-app`} className="field__label">
            {t("distribution.app")}
          </label>
          <select
            id={`${id}-app`}
            className="select"
            value={app}
            data-testid="distribution-app"
            onChange={(event) => {
              if (isAppKind(event.target.value)) setApp(event.target.value);
              command.reset();
            }}
          >
            {APPS.map((kind) => (
              <option key={kind} value={kind}>
                {t(APP_LABEL[kind])}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--stacked field--grow">
          <label htmlFor={`${id}-devices`} className="field__label">
            {t("distribution.devices")}
          </label>
          <input
            id={`${id}-devices`}
            type="text"
            className="input"
            value={devices}
            disabled={all}
            aria-describedby={`${id}-devices-hint${missing ? ` ${id}-missing` : ""}`}
            aria-invalid={missing ? true : undefined}
            data-testid="distribution-devices"
            onChange={(event) => {
              setDevices(event.target.value);
              setMissing(false);
            }}
          />
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={all}
            data-testid="distribution-all"
            onChange={(event) => {
              setAll(event.target.checked);
              setMissing(false);
            }}
          />
          {t("distribution.all")}
        </label>
        <div className="distribution__buttons">
          <button
            type="submit"
            className="button button--primary"
            aria-disabled={command.pending ? true : undefined}
            data-testid="distribute"
          >
            {t("distribution.distribute")}
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={command.pending ? true : undefined}
            data-testid="undistribute"
            onClick={() => {
              send(false);
            }}
          >
            {t("distribution.undistribute")}
          </button>
          {command.pending && (
            <span className="account__text" role="status">
              <span className="spinner spinner--small" aria-hidden="true" /> {t("distribution.working")}
            </span>
          )}
        </div>
      </form>
      <p id={`${id}-devices-hint`} className="hint distribution__hint">
        {t("distribution.devicesHint")}
      </p>
      {missing && (
        <p id={`${id}-missing`} className="field-error" role="alert" data-testid="distribution-missing">
          {t("distribution.noDevices")}
        </p>
      )}
      <div aria-live="polite">
        {state.status === "done" && (
          <p className="notice notice--success" data-testid="distribution-result">
            {t("distribution.result", {
              app: t(APP_LABEL[state.value.app]),
              devices: state.value.devices,
              total: state.value.distributed_to,
            })}
          </p>
        )}
        {state.status === "done" && state.value.failed.length > 0 && (
          // Devices the MDM refused: not distributed, each with the MDM's reason.
          <div className="notice" role="alert" data-testid="distribution-refused">
            <p>{t("distribution.refused", { count: state.value.failed.length })}</p>
            <ul className="distribution__refused">
              {state.value.failed.map((f) => (
                <li key={f.device} data-testid="distribution-refused-device">
                  <code>{f.device}</code>: {f.message}
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {state.status === "failed" && (
        <ErrorNotice
          title={numbers ? t("distribution.overLicence") : t("distribution.failed")}
          error={state.error}
          testId="distribution-error"
        >
          {numbers && (
            // U3: the numbers behind the refusal.
            <dl className="facts facts--compact" data-testid="licence-numbers">
              <div className="facts__row">
                <dt>{t("distribution.needed")}</dt>
                <dd data-testid="licences-needed">{numbers.needed}</dd>
              </div>
              <div className="facts__row">
                <dt>{t("distribution.purchased")}</dt>
                <dd data-testid="licences-purchased">{numbers.purchased}</dd>
              </div>
              <div className="facts__row">
                <dt>{t("distribution.consumed")}</dt>
                <dd data-testid="licences-consumed">{numbers.consumed}</dd>
              </div>
            </dl>
          )}
        </ErrorNotice>
      )}
    </AdminSection>
  );
}
