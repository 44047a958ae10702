import { useId } from "react";
import type { Activation } from "../../bindings/Activation";
import type { Mode } from "../../bindings/Mode";
import { useI18n } from "../../i18n/context";
import { ACTIVATION_HINT, ACTIVATION_LABEL } from "./labels";

interface Props {
  mode: Mode;
  /** The mode's activation; `undefined` when the back end has no row for it (never activated). */
  activation: Activation | undefined;
  /** L1: below Platinum, Activate now is not offered. */
  locked: boolean;
  onActivate: () => void;
}

/**
 * A1: one option of Activate TeamViewer: whether it is activated, with which TeamViewer account,
 * who agreed to which EULA version and when (A2); **Activate now** while it is not active.
 */
export function ActivationCard({ mode, activation, locked, onActivate }: Props) {
  const { t, formatDateTime } = useI18n();
  const id = useId();
  const active = activation?.active === true;
  const facts: [string, string | null, string][] = [
    [t("activation.account"), activation?.account_name ?? null, "activation-account"],
    [t("activation.agreedBy"), activation?.agreed_by ?? null, "activation-agreed-by"],
    [
      t("activation.agreedAt"),
      activation?.agreed_at ? formatDateTime(activation.agreed_at) : null,
      "activation-agreed-at",
    ],
    [t("activation.eulaVersion"), activation?.eula_version ?? null, "activation-eula-version"],
  ];
  const shown = facts.filter(([, value]) => value !== null && value !== "");

  return (
    <article
      className={`activation-card${active ? " activation-card--active" : ""}`}
      aria-labelledby={`${id}-title`}
      data-testid={`activation-${mode}`}
      data-active={active}
    >
      <div className="activation-card__head">
        <h3 id={`${id}-title`} className="activation-card__title">
          {t(ACTIVATION_LABEL[mode])}
        </h3>
        <span className={`badge badge--${active ? "ready" : "unsupported"}`} data-testid="activation-state">
          <span className="badge__icon" aria-hidden="true">
            {active ? "✓" : "–"}
          </span>
          {active ? t("activation.active") : t("activation.inactive")}
        </span>
      </div>
      <p className="muted">{t(ACTIVATION_HINT[mode])}</p>
      {shown.length > 0 && (
        <dl className="facts facts--compact">
          {shown.map(([label, value, testId]) => (
            <div key={testId} className="facts__row">
              <dt>{label}</dt>
              <dd data-testid={testId}>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {!active && (
        <div className="activation-card__actions">
          <button
            type="button"
            className="button button--primary"
            aria-disabled={locked ? true : undefined}
            aria-describedby={locked ? `${id}-locked` : undefined}
            data-testid={`activate-${mode}`}
            onClick={() => {
              if (!locked) onActivate();
            }}
          >
            {t("activation.activateNow")}
          </button>
          {locked && (
            <span id={`${id}-locked`} className="hint">
              {t("activation.lockedHint")}
            </span>
          )}
        </div>
      )}
    </article>
  );
}
