import { useId } from "react";
import type { PolicyDemands } from "../../bindings/PolicyDemands";
import { useT } from "../../i18n/context";
import { visibleText } from "../../text";
import type { TicketProblem } from "./ticket";

interface TicketFieldProps {
  value: string;
  demands: PolicyDemands;
  /** Shown once the agent typed or tried to start. */
  problem: TicketProblem;
  onChange: (value: string) => void;
}

/** The ticket reference a support policy requires, checked inline against its pattern. */
export function TicketField({ value, demands, problem, onChange }: TicketFieldProps) {
  const t = useT();
  const id = useId();
  const patterns = demands.ticket_patterns.join(", ");
  return (
    <div className="field field--block">
      <label htmlFor={`${id}-ticket`} className="field__label">
        {t("mode.ticket")}
      </label>
      <input
        id={`${id}-ticket`}
        type="text"
        className="input"
        value={value}
        maxLength={100}
        required
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-ticket-hint${problem ? ` ${id}-ticket-error` : ""}`}
        data-testid="ticket-input"
        onChange={(event) => {
          onChange(event.target.value);
        }}
      />
      <span id={`${id}-ticket-hint`} className="hint">
        {t("mode.ticketHint", { policies: visibleText(demands.policies.join(", ")), pattern: visibleText(patterns) })}
      </span>
      {problem && (
        <span id={`${id}-ticket-error`} className="field__error" role="alert" data-testid="ticket-error">
          {problem.kind === "missing"
            ? t("mode.ticketMissing")
            : t("mode.ticketMismatch", { pattern: visibleText(problem.pattern) })}
        </span>
      )}
    </div>
  );
}

/** What else the policies decide for this start: view only, four eyes. */
export function PolicyNotes({ demands }: { demands: PolicyDemands }) {
  const t = useT();
  if (!demands.view_only && demands.approval_minutes === null) return null;
  return (
    <div className="notice notice--warn" data-testid="policy-notes">
      {demands.view_only && (
        <p className="notice__message" data-testid="policy-view-only">
          {t("mode.viewOnly")}
        </p>
      )}
      {demands.approval_minutes !== null && (
        <p className="notice__message" data-testid="policy-four-eyes">
          {t("mode.approvalNeeded", { minutes: String(demands.approval_minutes) })}
        </p>
      )}
    </div>
  );
}
