import { useId } from "react";
import { useI18n } from "../../i18n/context";

/** The waits offered (hours), within the CLI's `--within` bounds (5 minutes to 3 days). */
export const WITHIN_HOURS: readonly number[] = [1, 4, 8, 24];
/** The wait when none is chosen: the CLI's default (`--within 4h`). */
export const DEFAULT_WITHIN_HOURS = 4;

export type When = "now" | "later";

interface Props {
  when: When;
  withinHours: number;
  /** The device is offline (`DeviceDetail.online`: not reachable, or no check-in within 24 h). */
  offline: boolean;
  lastCheckin: string;
  disabled: boolean;
  onWhen: (when: When) => void;
  onWithin: (hours: number) => void;
}

/**
 * When an attended session starts: now, or when the device next checks in (armed: the product
 * starts it by itself then, within the wait chosen). Offline, the dialog pre-selects the latter
 * and says why.
 */
export function ArmChoice({ when, withinHours, offline, lastCheckin, disabled, onWhen, onWithin }: Props) {
  const { t, tn, formatRelative } = useI18n();
  const id = useId();
  const option = (value: When, label: string) => (
    <label className="arm-choice__option">
      <input
        type="radio"
        name={`${id}-when`}
        value={value}
        checked={when === value}
        disabled={disabled}
        aria-describedby={value === "later" && offline ? `${id}-offline` : undefined}
        data-testid={value === "now" ? "when-now" : "when-later"}
        onChange={() => {
          onWhen(value);
        }}
      />{" "}
      {label}
    </label>
  );
  return (
    <fieldset className="arm-choice" data-testid="arm-choice">
      <legend className="field__label">{t("arm.when")}</legend>
      {offline && (
        <p id={`${id}-offline`} className="hint" data-testid="arm-offline">
          {t("arm.offline", { when: formatRelative(lastCheckin) })}
        </p>
      )}
      {option("now", t("arm.now"))}
      {option("later", t("arm.later"))}
      {when === "later" && (
        <div className="arm-choice__within">
          <label htmlFor={`${id}-within`}>{t("arm.within")}</label>
          <select
            id={`${id}-within`}
            className="select"
            value={withinHours}
            disabled={disabled}
            aria-describedby={`${id}-within-hint`}
            data-testid="arm-within"
            onChange={(event) => {
              onWithin(Number(event.target.value));
            }}
          >
            {WITHIN_HOURS.map((hours) => (
              <option key={hours} value={hours}>
                {tn("arm.hours", hours)}
              </option>
            ))}
          </select>
          <span id={`${id}-within-hint`} className="hint">
            {t("arm.withinHint")}
          </span>
        </div>
      )}
    </fieldset>
  );
}
