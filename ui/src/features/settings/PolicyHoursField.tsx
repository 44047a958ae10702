import type { Day } from "../../bindings/Day";
import type { Hours } from "../../bindings/Hours";
import type { HoursWindow } from "../../bindings/HoursWindow";
import { useT } from "../../i18n/context";

const DAYS: readonly Day[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The hours a new "only at set hours" starts with: weekdays, 08:00 to 18:00, this computer's zone. */
export function defaultHours(): Hours {
  let zone = "UTC";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    // an engine without time zone data: UTC
  }
  return { time_zone: zone, windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "18:00" }] };
}

/** What is wrong with a range as typed, or null; the back end checks it again (and the zone). */
export function windowProblem(w: HoursWindow): "noDays" | "time" | "empty" | null {
  if (w.days.length === 0) return "noDays";
  const endOk = w.to === "24:00" || TIME.test(w.to);
  if (!TIME.test(w.from) || !endOk) return "time";
  return w.from >= w.to && w.to !== "24:00" ? "empty" : null;
}

interface Props {
  id: string;
  hours: Hours | undefined;
  onChange: (hours: Hours | undefined) => void;
}

/**
 * A support policy's allowed hours in the Settings editor: off (any time), or a named time zone
 * and time ranges, each on chosen days. A range never crosses midnight (write two); `24:00`
 * ends a range at midnight.
 */
export function PolicyHoursField({ id, hours, onChange }: Props) {
  const t = useT();
  const setWindow = (index: number, patch: Partial<HoursWindow>) => {
    if (hours === undefined) return;
    onChange({ ...hours, windows: hours.windows.map((w, i) => (i === index ? { ...w, ...patch } : w)) });
  };
  return (
    <fieldset className="policies__hours" data-testid="policy-hours">
      <legend className="field__label">{t("policies.hoursTitle")}</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={hours !== undefined}
          data-testid="policy-hours-on"
          onChange={(e) => {
            onChange(e.target.checked ? defaultHours() : undefined);
          }}
        />{" "}
        {t("policies.hoursOn")}
      </label>
      {hours !== undefined && (
        <>
          <div className="field field--stacked">
            <label htmlFor={`${id}-zone`} className="field__label">
              {t("policies.timeZone")}
            </label>
            <input
              id={`${id}-zone`}
              type="text"
              className="input"
              value={hours.time_zone}
              data-testid="policy-time-zone"
              onChange={(e) => {
                onChange({ ...hours, time_zone: e.target.value });
              }}
            />
          </div>
          {hours.windows.map((w, index) => {
            const problem = windowProblem(w);
            const errorId = `${id}-range-${index}-error`;
            return (
              <div key={index} className="policies__range" role="group" aria-label={t("policies.range", { n: index + 1 })} data-testid="policy-range">
                <div className="policies__days">
                  {DAYS.map((day) => (
                    <label key={day} className="checkbox">
                      <input
                        type="checkbox"
                        checked={w.days.includes(day)}
                        data-testid={`policy-day-${day}`}
                        onChange={(e) => {
                          const days = e.target.checked ? DAYS.filter((d) => d === day || w.days.includes(d)) : w.days.filter((d) => d !== day);
                          setWindow(index, { days });
                        }}
                      />{" "}
                      {t(`policies.day.${day}`)}
                    </label>
                  ))}
                </div>
                <label className="policies__time">
                  {t("policies.from")}{" "}
                  <input
                    type="text"
                    className="input input--time"
                    value={w.from}
                    placeholder="08:00"
                    aria-invalid={problem === "time" || problem === "empty" ? true : undefined}
                    aria-describedby={problem ? errorId : undefined}
                    data-testid="policy-from"
                    onChange={(e) => {
                      setWindow(index, { from: e.target.value.trim() });
                    }}
                  />
                </label>
                <label className="policies__time">
                  {t("policies.to")}{" "}
                  <input
                    type="text"
                    className="input input--time"
                    value={w.to}
                    placeholder="18:00"
                    aria-invalid={problem === "time" || problem === "empty" ? true : undefined}
                    aria-describedby={problem ? errorId : undefined}
                    data-testid="policy-to"
                    onChange={(e) => {
                      setWindow(index, { to: e.target.value.trim() });
                    }}
                  />
                </label>
                {hours.windows.length > 1 && (
                  <button
                    type="button"
                    className="button button--small"
                    data-testid="policy-range-remove"
                    onClick={() => {
                      onChange({ ...hours, windows: hours.windows.filter((_, i) => i !== index) });
                    }}
                  >
                    {t("policies.rangeRemove")}
                  </button>
                )}
                {problem && (
                  <span id={errorId} className="field__error" role="alert">
                    {t(`policies.range.${problem}`)}
                  </span>
                )}
              </div>
            );
          })}
          <button
            type="button"
            className="button button--small"
            data-testid="policy-range-add"
            onClick={() => {
              onChange({ ...hours, windows: [...hours.windows, { days: ["sat"], from: "09:00", to: "13:00" }] });
            }}
          >
            {t("policies.rangeAdd")}
          </button>
        </>
      )}
    </fieldset>
  );
}
