import { useId, useState, type SyntheticEvent } from "react";
import type { AdminStatus } from "../../bindings/AdminStatus";
import type { Licences } from "../../bindings/Licences";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import { ipc } from "../../ipc";
import { AdminSection } from "./AdminSection";
import { useCommand } from "./useCommand";

/** The back end keeps the purchased count as a u32. */
const MAX_LICENCES = 4_294_967_295;

interface Props {
  licences: Licences;
  onStatus: (status: AdminStatus) => void;
}

/** A non-negative whole number, or `null`. */
export function parseLicenceCount(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value <= MAX_LICENCES ? value : null;
}

/**
 * U3: unattended (MI add-on) licences: every device TeamViewer Host is distributed to consumes
 * one. A gauge shows consumed of purchased; the purchased count can be set (a non-negative whole
 * number; the back end refuses fewer than are in use).
 */
export function LicencesSection({ licences, onStatus }: Props) {
  const t = useT();
  const id = useId();
  // `null`: not edited, the input shows the back end's count.
  const [draft, setDraft] = useState<string | null>(null);
  const [invalid, setInvalid] = useState(false);
  const command = useCommand<AdminStatus>("set_licences");
  const { purchased, consumed } = licences;
  const over = consumed > purchased;

  const save = (event: SyntheticEvent) => {
    event.preventDefault();
    if (command.pending) return;
    const value = parseLicenceCount(draft ?? String(purchased));
    if (value === null) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    command.run(
      () => ipc.setLicences(value),
      (next) => {
        setDraft(null);
        onStatus(next);
      },
    );
  };

  return (
    <AdminSection title={t("licences.heading")} hint={t("licences.hint")} testId="licences-section">
      <div className="gauge">
        <meter
          id={`${id}-meter`}
          className="gauge__meter"
          min={0}
          max={Math.max(purchased, 1)}
          high={Math.max(purchased, 1) * 0.9}
          value={Math.min(consumed, Math.max(purchased, 1))}
          aria-label={t("licences.gauge")}
          aria-valuetext={t("licences.usage", { consumed, purchased })}
          data-testid="licences-meter"
        />
        <span className={`gauge__text${over ? " gauge__text--over" : ""}`} data-testid="licences-usage">
          {t("licences.usage", { consumed, purchased })}
        </span>
      </div>
      <form className="inline-form" noValidate onSubmit={save}>
        <div className="field field--stacked">
          <label htmlFor={`${id}-purchased`} className="field__label">
            {t("licences.purchased")}
          </label>
          <input
            id={`${id}-purchased`}
            type="number"
            inputMode="numeric"
            min={0}
            step={1}
            className="input input--number"
            value={draft ?? String(purchased)}
            aria-invalid={invalid ? true : undefined}
            aria-describedby={invalid ? `${id}-invalid` : undefined}
            data-testid="licences-input"
            onChange={(event) => {
              setDraft(event.target.value);
              setInvalid(false);
              command.reset();
            }}
          />
        </div>
        <button
          type="submit"
          className="button"
          aria-disabled={command.pending ? true : undefined}
          data-testid="licences-save"
        >
          {command.pending ? t("admin.saving") : t("licences.save")}
        </button>
      </form>
      {invalid && (
        <p id={`${id}-invalid`} className="field-error" role="alert" data-testid="licences-invalid">
          {t("licences.invalid")}
        </p>
      )}
      <div aria-live="polite">
        {command.state.status === "done" && <p className="hint">{t("licences.saved")}</p>}
      </div>
      {command.state.status === "failed" && (
        <ErrorNotice title={t("licences.failed")} error={command.state.error} testId="licences-error" />
      )}
    </AdminSection>
  );
}
