import { useEffect, useId, useState } from "react";
import type { CoachingCard as Card } from "../../bindings/CoachingCard";
import type { Session } from "../../bindings/Session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n/context";
import type { MessageKey } from "../../i18n/i18n";
import { ipc, toIpcError, type IpcError } from "../../ipc";
import { codeGroups } from "./codeGroups";

const LANG_NAME: Readonly<Record<Card["lang"], MessageKey>> = {
  en: "coaching.lang.en",
  "pt-BR": "coaching.lang.pt-BR",
};

interface Props {
  /** An open attended session. */
  session: Session;
}

/**
 * The coaching card as the device user gets it (`coaching_card`, the same card the TeamViewer
 * case shows them while waiting): the steps, numbered, each with the rule it comes from; then
 * the code the user reads back, large and grouped, and "Code confirmed" for the agent once the
 * user read back the same code. The confirmation is kept for this session and code.
 */
export function CoachingCard({ session }: Props) {
  const t = useT();
  const id = useId();
  const [card, setCard] = useState<Card | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [confirmed, setConfirmed] = useState<string | null>(null);
  // The card names the code: it is read again when the session gets one.
  const key = `${session.id}:${session.code ?? ""}`;

  useEffect(() => {
    let live = true;
    ipc.coachingCard(session.id).then(
      (next) => {
        if (!live) return;
        setCard(next);
        setError(null);
      },
      (raw: unknown) => {
        if (live) setError(toIpcError("coaching_card", raw));
      },
    );
    return () => {
      live = false;
    };
  }, [session.id, key]);

  const shown = card;
  const code = session.code ?? shown?.code ?? null;
  const isConfirmed = code !== null && confirmed === `${session.id}:${code}`;

  return (
    <section className="coaching" aria-labelledby={`${id}-title`} data-testid="coaching-card">
      <h4 id={`${id}-title`} className="coaching__title">
        {t("coaching.title")}
      </h4>
      {error && <ErrorNotice title={t("coaching.loadFailed")} error={error} testId="coaching-error" />}
      {shown && (
        <>
          <p className="hint" data-testid="coaching-lang" data-lang={shown.lang}>
            {t("coaching.hint", { lang: t(LANG_NAME[shown.lang]) })}
          </p>
          <p className="coaching__card-title" lang={shown.lang}>
            {shown.title}
          </p>
          <ol className="coaching__steps" lang={shown.lang} data-testid="coaching-steps">
            {shown.steps.map((step) => (
              <li key={step.rule} className="coaching__step" data-testid="coaching-step" data-rule={step.rule}>
                <span className="coaching__text">{step.text}</span>{" "}
                <span className="coaching__rule">
                  <span className="sr-only">{t("coaching.rule", { rule: step.rule })}</span>
                  <span aria-hidden="true">{step.rule}</span>
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
      {code !== null && (
        <div className={`coaching__confirm${isConfirmed ? " coaching__confirm--done" : ""}`} data-testid="coaching-confirm">
          <p id={`${id}-code`} className="field__label">
            {t("coaching.code")}
          </p>
          <p className="coaching__code" data-testid="coaching-code" data-code={code}>
            {codeGroups(code).map((group, index) => (
              <span key={`${String(index)}-${group}`} className="coaching__group">
                {index > 0 && " "}
                {group}
              </span>
            ))}
          </p>
          <p id={`${id}-code-hint`} className="hint">
            {t("coaching.codeHint")}
          </p>
          {isConfirmed && (
            <p className="notice notice--success" role="status" data-testid="coaching-confirmed">
              {t("coaching.confirmed")}
            </p>
          )}
          <p className="coaching__actions">
            {/* A toggle: pressed once the user read back the same code; pressed again, undone. */}
            <button
              type="button"
              className={isConfirmed ? "button" : "button button--primary"}
              aria-pressed={isConfirmed}
              aria-describedby={`${id}-confirm-hint`}
              data-testid="coaching-confirm-button"
              onClick={() => {
                setConfirmed(isConfirmed ? null : `${session.id}:${code}`);
              }}
            >
              {t("coaching.confirm")}
            </button>{" "}
            <span id={`${id}-confirm-hint`} className="hint">
              {t("coaching.confirmHint")}
            </span>
          </p>
        </div>
      )}
    </section>
  );
}
