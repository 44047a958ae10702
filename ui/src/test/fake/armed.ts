/**
 * Armed sessions in the fake back end, as `crates/app/src/session/armed.rs` keeps them: one
 * waiting per device, held for its agent; cancelled by that agent only.
 */
import type { ArmedSession } from "../../bindings/ArmedSession";
import type { Mode } from "../../bindings/Mode";
import { preflight } from "./rules";
import { apiError, openSessionOn, type FakeState } from "./state";

function me(state: FakeState): string {
  return state.agents.find((a) => a.me)?.agent ?? "agent";
}

export function listArmed(state: FakeState, all: boolean): ArmedSession[] {
  return state.armed.filter((a) => all || a.state === "armed");
}

export function armSession(
  state: FakeState,
  deviceId: string,
  mode: Mode,
  reason: string,
  ticket: string | null,
  withinMinutes: number | null,
  rearmOf: string | null = null,
): ArmedSession {
  if (!state.details.has(deviceId) && !state.rows.some((r) => r.id === deviceId)) {
    throw apiError("not_found", `No device ${deviceId}.`, "Check the device ID.");
  }
  const holder = state.armed.find((a) => a.device_id === deviceId && a.state === "armed");
  if (holder) {
    throw apiError("conflict", `The device is held by an armed session (${holder.id}) of ${holder.agent}.`, `Ask ${holder.agent} to cancel it.`, {
      kind: "armed",
      armed: holder,
    });
  }
  const open = openSessionOn(state, deviceId);
  if (open) throw apiError("conflict", `The device already has an open session: ${open.id}.`, "Close it first.", { kind: "session_held", session: open });
  // Arming runs the start's own checks first: a block now refuses it.
  const pre = preflight(state, deviceId, mode, ticket, true);
  const blocks = pre.checks.filter((c) => c.status === "block");
  if (blocks.length > 0) {
    throw apiError("blocked", "The session cannot start on this device.", blocks[0]?.fix ?? null, { kind: "preflight", ...pre });
  }
  const now = new Date();
  const armed: ArmedSession = {
    id: `armed-${state.armed.length + 1}`,
    device_id: deviceId,
    mode,
    agent: me(state),
    reason,
    ticket,
    state: "armed",
    armed_at: now.toISOString(),
    expires_at: new Date(now.getTime() + (withinMinutes ?? 240) * 60_000).toISOString(),
    armed_checkin: now.toISOString(),
    rearm_of: rearmOf,
    ended_at: null,
    ended_by: null,
    session_id: null,
    error: null,
  };
  state.armed.unshift(armed);
  return armed;
}

export function rearmSession(state: FakeState, id: string, withinMinutes: number | null): ArmedSession {
  const ended = state.sessions.get(id);
  if (!ended) throw apiError("not_found", `No session ${id}.`, "List the sessions.");
  if (!["lost", "expired", "failed"].includes(ended.state)) {
    throw apiError("invalid_input", `The session ${id} is ${ended.state}: only a lost, expired or failed session is armed again.`, "Close it first.");
  }
  return armSession(state, ended.device_id, ended.mode, ended.reason, ended.ticket ?? null, withinMinutes, id);
}

export function cancelArmed(state: FakeState, id: string): ArmedSession {
  const found = state.armed.find((a) => a.id === id);
  if (!found) throw apiError("not_found", `No armed session has the id "${id}".`, "List them.");
  if (found.state !== "armed") return found;
  if (found.agent !== me(state)) {
    throw apiError("conflict", `The device is held by an armed session (${found.id}) of ${found.agent}.`, `Ask ${found.agent} to cancel it.`, {
      kind: "armed",
      armed: found,
    });
  }
  const cancelled: ArmedSession = { ...found, state: "cancelled", ended_at: new Date().toISOString(), ended_by: me(state) };
  state.armed = state.armed.map((a) => (a.id === id ? cancelled : a));
  return cancelled;
}
