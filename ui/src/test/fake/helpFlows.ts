/**
 * The help flows as the fake imitates them: the inbox (a request taken is gone from it and a
 * second take names the holder), hand-overs (a reason and a known agent, who then holds the
 * session), and the device's TeamViewer Host (matched, or confirmed by the admin).
 */
import type { Agent } from "../../bindings/Agent";
import type { Handover } from "../../bindings/Handover";
import type { HostStatus } from "../../bindings/HostStatus";
import type { Inbox } from "../../bindings/Inbox";
import type { Session } from "../../bindings/Session";
import type { TakenRequest } from "../../bindings/TakenRequest";
import { AGENTS, makeHost } from "./fixtures";
import { apiError, type FakeState } from "./state";

/** The agent running the window. */
function me(state: FakeState): Agent | undefined {
  return state.agents.find((a) => a.me) ?? AGENTS[0];
}

export function inbox(state: FakeState): Inbox {
  if (!state.auth.signed_in) {
    throw apiError("sign_in_needed", "Help requests are read from TeamViewer: sign in first.", "Sign in to TeamViewer.");
  }
  return { requests: [...state.requests], checked_at: "2026-11-20T12:00:00Z", group: "Help@Work" };
}

export function takeRequest(state: FakeState, code: string): TakenRequest {
  const holder = state.takenBy.get(code);
  if (holder !== undefined) {
    throw apiError("conflict", `Help request ${code} was taken by ${holder}.`, "Take another request.", { kind: "request_taken", code, taken_by: holder });
  }
  const request = state.requests.find((r) => r.code === code);
  if (!request) throw apiError("not_found", `TeamViewer has no help request ${code}.`, "List the requests again.");
  const agent = me(state);
  state.takenBy.set(code, agent?.agent ?? "alex");
  state.requests = state.requests.filter((r) => r.code !== code);
  const link = `https://get.teamviewer.com/v15/${code.replaceAll("-", "")}-tok`;
  const session: Session | null =
    request.device_id === null
      ? null
      : {
          id: `sess-${code}`,
          device_id: request.device_id,
          mode: "attended",
          state: request.online ? "active" : "waiting",
          code,
          agent: agent?.agent ?? "alex",
          reason: request.description ?? "",
          created_at: "2026-11-20T12:00:00Z",
          expires_at: null,
          valid_until: null,
          ended_at: null,
          ended_by: null,
          supporter_link: link,
          end_customer_link: null,
          launched: true,
          delivery: "help_request",
          teamviewer_userid: agent?.userid ?? null,
        };
  if (session) state.sessions.set(session.id, session);
  return { code, device_id: request.device_id, unknown_device: request.unknown_device, session, supporter_link: link, launched: true };
}

export function handOver(state: FakeState, id: string, to: string, reason: string): Handover {
  const session = state.sessions.get(id);
  if (!session) throw apiError("not_found", `No session has the id "${id}".`, "List the sessions.");
  if (reason.trim() === "") throw apiError("invalid_input", "A hand-over needs a reason.", "Say why the session goes to the other agent.");
  const target = state.agents.find((a) => a.userid === to || a.agent === to);
  if (!target) throw apiError("not_found", `No agent "${to}" has signed in to TeamViewer here.`, "List the agents.");
  const next: Session = { ...session, agent: target.agent, teamviewer_userid: target.userid };
  state.sessions.set(id, next);
  return { session: next, from_agent: session.agent, to: target, reason, at: "2026-11-20T12:05:00Z" };
}

export function hostStatus(state: FakeState, deviceId: string): HostStatus {
  const host = state.hosts[deviceId];
  if (!host) throw apiError("invalid_input", "TeamViewer Host exists for Android only (U1).", "Use attended mode.");
  return host;
}

/** The admin confirms one of the candidates is the device's Host. */
export function confirmHostMatch(state: FakeState, deviceId: string, remotecontrolId: string): HostStatus {
  const host = state.hosts[deviceId] ?? makeHost({ device_id: deviceId });
  const candidate = host.candidates.find((c) => c.remotecontrol_id === remotecontrolId);
  if (!candidate) throw apiError("not_found", `The TeamViewer account has no device ${remotecontrolId}.`, "Check the id.");
  const matched: HostStatus = {
    ...host,
    matched: true,
    remotecontrol_id: candidate.remotecontrol_id,
    teamviewer_id: candidate.remotecontrol_id.slice(1),
    alias: candidate.alias,
    matched_by: "confirmed",
    confirmed_by: me(state)?.agent ?? "alex",
    assigned: true,
    online_state: candidate.online_state,
    candidates: [],
  };
  state.hosts[deviceId] = matched;
  return matched;
}
