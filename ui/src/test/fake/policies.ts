/**
 * Support policies and four eyes in the fake back end, with the rules the views depend on (the
 * Rust side: crates/domain/src/policy, crates/app/src/policy): a policy is validated when set
 * (name, the ticket pattern as a regular expression, the approval time); each applicable
 * policy adds its checks to the preflight; a start without a matching ticket is blocked; an
 * unattended start under four eyes is held until another agent approves it (never the
 * requester), then uses the approval.
 */
import type { Approval } from "../../bindings/Approval";
import type { Check } from "../../bindings/Check";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import type { Hours } from "../../bindings/Hours";
import type { Mode } from "../../bindings/Mode";
import type { Policy } from "../../bindings/Policy";
import type { PolicyDemands } from "../../bindings/PolicyDemands";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import { apiError, type FakeState } from "./state";

/** The fake's whole-reference match of a ticket pattern (`^(?:pattern)$`); `null`: not a valid pattern. */
export function ticketRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, "u");
  } catch {
    return null;
  }
}

function applies(policy: Policy, device: DeviceDetail): boolean {
  const group = policy.group;
  if (group.platform !== undefined && group.platform !== device.platform) return false;
  if (group.kiosk !== undefined && group.kiosk !== device.kiosk) return false;
  if (group.ownership !== undefined) {
    const ownership = device.management.ownership;
    if (ownership === null) return false;
    if ((group.ownership === "personal") !== (ownership === "employee")) return false;
  }
  if (group.label !== undefined) return false;
  return true;
}

function me(state: FakeState): string {
  return state.agents.find((a) => a.me)?.agent ?? "agent";
}

/** The applicable policies' checks and demands, as the Rust preflight adds them. */
export function policyChecks(
  state: FakeState,
  device: DeviceDetail,
  mode: Mode,
  ticket: string | null,
  starting: boolean,
): { checks: Check[]; demands: PolicyDemands | undefined } {
  const applicable = state.policies.map((e) => e.policy).filter((p) => applies(p, device));
  const checks: Check[] = [];
  for (const p of applicable) {
    if (p.ticket_pattern !== undefined) {
      const given = (ticket ?? "").trim();
      const ok = given !== "" && ticketRegex(p.ticket_pattern)?.test(given) === true;
      checks.push({
        rule: "policy.ticket",
        status: ok ? "pass" : starting || given !== "" ? "block" : "warn",
        message: ok
          ? `Policy "${p.name}": ticket ${given} matches ${p.ticket_pattern}.`
          : `Policy "${p.name}": a ticket reference matching ${p.ticket_pattern} is required.`,
        fix: ok ? null : `Give the ticket reference (--ticket), the whole of it matching ${p.ticket_pattern}.`,
      });
    }
    if (mode === "unattended" && p.unattended === "forbidden") {
      checks.push({
        rule: "policy.unattended",
        status: "block",
        message: `Policy "${p.name}": unattended sessions are not allowed on this device.`,
        fix: "Start an attended session with the device user, or ask an admin to change the policy.",
      });
    }
    if (mode === "unattended" && p.unattended === "approval") {
      const approved = state.approvals.find((a) => a.device_id === device.id && a.requester === me(state) && a.state === "approved");
      checks.push(
        approved
          ? { rule: "policy.approval", status: "pass", message: `Policy "${p.name}": approved by ${approved.decided_by ?? ""}.`, fix: null }
          : {
              rule: "policy.approval",
              status: "warn",
              message: `Policy "${p.name}": an unattended start needs another agent's approval (valid ${p.approval_minutes ?? 0} min); the start waits for it.`,
              fix: "Start it, then ask another signed-in agent to approve it.",
            },
      );
    }
  }
  if (applicable.length === 0) return { checks, demands: undefined };
  const minutes = applicable.filter((p) => p.unattended === "approval").map((p) => p.approval_minutes ?? 0);
  const forbidden = mode === "unattended" && applicable.some((p) => p.unattended === "forbidden");
  return {
    checks,
    demands: {
      policies: applicable.map((p) => p.name),
      reason_required: applicable.some((p) => p.reason_required),
      ticket_patterns: applicable.flatMap((p) => (p.ticket_pattern === undefined ? [] : [p.ticket_pattern])),
      view_only: mode === "attended" && applicable.some((p) => p.personal_view_only) && device.management.ownership === "employee",
      approval_minutes: mode === "unattended" && !forbidden && minutes.length > 0 ? Math.min(...minutes) : null,
      unattended_forbidden: forbidden,
    },
  };
}

/**
 * Four eyes at a start: `null` when no approval is needed; the approval to use; otherwise the
 * start is held (`awaiting_approval` with the request).
 */
export function gate(state: FakeState, deviceId: string, reason: string, ticket: string | null, demands: PolicyDemands | undefined): Approval | null {
  const minutes = demands?.approval_minutes;
  if (minutes === null || minutes === undefined) return null;
  const requester = me(state);
  let open = state.approvals.find((a) => a.device_id === deviceId && a.requester === requester && (a.state === "pending" || a.state === "approved"));
  if (open?.state === "approved") return open;
  if (!open) {
    const now = Date.now();
    let n = state.approvals.length + 1;
    while (state.approvals.some((a) => a.id === `appr-${n}`)) n += 1;
    open = {
      id: `appr-${n}`,
      device_id: deviceId,
      mode: "unattended",
      requester,
      reason,
      ticket,
      policies: demands?.policies ?? [],
      approval_minutes: minutes,
      state: "pending",
      requested_at: new Date(now).toISOString(),
      expires_at: new Date(now + minutes * 60_000).toISOString(),
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      session_id: null,
      mine: true,
    };
    state.approvals.unshift(open);
  }
  throw apiError(
    "awaiting_approval",
    `The start is awaiting another agent's approval (request ${open.id}, policy ${open.policies.join(", ")}).`,
    `Ask another signed-in agent to approve request ${open.id}, then start again within ${minutes} minutes.`,
    { kind: "awaiting_approval", approval: open },
  );
}

export function listApprovals(state: FakeState, all: boolean): Approval[] {
  return state.approvals
    .filter((a) => all || a.state === "pending" || a.state === "approved")
    .map((a) => ({ ...a, mine: a.requester === me(state) }));
}

export function decide(state: FakeState, id: string, approve: boolean, reason: string | null): Approval {
  const found = state.approvals.find((a) => a.id === id);
  if (!found) throw apiError("not_found", `No approval request has the id "${id}".`, "List them again.");
  if (found.requester === me(state)) {
    throw apiError("blocked", "You made this request: another agent must approve or refuse it (four eyes).", "Ask another signed-in agent to decide it.");
  }
  if (found.state !== "pending") {
    throw apiError("conflict", `The request is no longer pending: it is ${found.state}.`, "List the requests again.");
  }
  const now = Date.now();
  const decided: Approval = {
    ...found,
    state: approve ? "approved" : "refused",
    decided_by: me(state),
    decided_at: new Date(now).toISOString(),
    decision_reason: reason,
    expires_at: new Date(approve ? now + found.approval_minutes * 60_000 : now).toISOString(),
    mine: false,
  };
  state.approvals = state.approvals.map((a) => (a.id === id ? decided : a));
  return decided;
}

export function spendApproval(state: FakeState, approval: Approval, sessionId: string): void {
  state.approvals = state.approvals.map((a) => (a.id === approval.id ? { ...a, state: "used", session_id: sessionId } : a));
}

/** Like `policy::set`: validated, then added or replaced by name. */
export function setPolicy(state: FakeState, policy: Policy): PolicyEntry {
  const name = policy.name.trim();
  if (name === "" || name.length > 80) {
    throw apiError("invalid_input", "The policy name must be 1 to 80 characters, without control characters.", "Shorten the text and remove control characters.");
  }
  if (policy.ticket_pattern !== undefined && ticketRegex(policy.ticket_pattern) === null) {
    throw apiError(
      "invalid_input",
      "The ticket pattern is not a valid regular expression.",
      "Write the pattern as a Rust regular expression, e.g. INC\\d{7}; it must match the whole reference.",
    );
  }
  const minutes = policy.approval_minutes;
  if (policy.unattended === "approval" && (minutes === undefined || minutes < 1 || minutes > 1440)) {
    throw apiError("invalid_input", "Unattended with approval needs approval_minutes from 1 to 1440.", "Set approval_minutes, e.g. 30.");
  }
  if (policy.hours !== undefined) checkHours(policy.hours);
  const entry: PolicyEntry = { policy: { ...policy, name }, updated_at: new Date().toISOString(), updated_by: me(state) };
  state.policies = [...state.policies.filter((e) => e.policy.name !== name), entry].sort((a, b) => a.policy.name.localeCompare(b.policy.name));
  return entry;
}

export function removePolicy(state: FakeState, name: string): PolicyEntry {
  const found = state.policies.find((e) => e.policy.name === name);
  if (!found) throw apiError("not_found", `No support policy is named "${name}".`, "List them again.");
  state.policies = state.policies.filter((e) => e.policy.name !== name);
  return found;
}

/** Like `Hours::compile` (crates/domain/src/policy/hours.rs), with its messages and fixes. */
function checkHours(hours: Hours): void {
  const rangeFix = "Give each range days (mon…sun) and times HH:MM with from before to.";
  try {
    new Intl.DateTimeFormat("en", { timeZone: hours.time_zone.trim() });
  } catch {
    throw apiError("invalid_input", `"${hours.time_zone}" is not a known time zone.`, "Use an IANA time zone name, e.g. America/Sao_Paulo or UTC.");
  }
  if (hours.windows.length === 0) throw apiError("invalid_input", "The allowed hours have no time range.", rangeFix);
  const minutes = (text: string, end: boolean): number | null => {
    if (end && text.trim() === "24:00") return 24 * 60;
    const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
    return Number(m[1]) * 60 + Number(m[2]);
  };
  hours.windows.forEach((w, i) => {
    if (w.days.length === 0) throw apiError("invalid_input", `Time range ${i + 1} has no days.`, rangeFix);
    const from = minutes(w.from, false);
    if (from === null) throw apiError("invalid_input", `"${w.from}" is not a time HH:MM.`, rangeFix);
    const to = minutes(w.to, true);
    if (to === null) throw apiError("invalid_input", `"${w.to}" is not a time HH:MM.`, rangeFix);
    if (from >= to) throw apiError("invalid_input", `Time range ${i + 1} ends before it starts.`, rangeFix);
  });
}
