/**
 * The fake back end's help flows (`fakeBackend.ts` delegates to it): the inbox (`list_requests`,
 * `take_request`), the agents and hand-overs (`list_agents`, `hand_over_session`), and the
 * device's TeamViewer Host (`host_status`, `confirm_host_match`), with the Rust side's shapes and
 * rules: a request taken is gone from the inbox and a second take names the holder; a hand-over
 * needs a reason and a known agent and makes them the session's holder.
 */
import type { Agent } from "../bindings/Agent";
import type { ApiError } from "../bindings/ApiError";
import type { AuthStatus } from "../bindings/AuthStatus";
import type { Handover } from "../bindings/Handover";
import type { HelpRequest } from "../bindings/HelpRequest";
import type { HostStatus } from "../bindings/HostStatus";
import type { Inbox } from "../bindings/Inbox";
import type { Session } from "../bindings/Session";
import type { TakenRequest } from "../bindings/TakenRequest";

export interface HelpFlowsOptions {
  /** Requests waiting at start (newest last). */
  requests?: HelpRequest[];
  /** The agents who signed in (default `AGENTS`). */
  agents?: Agent[];
  /** Each device's Host as TeamViewer reports it. */
  hosts?: Record<string, HostStatus>;
  /** Answer for `list_requests`; throw to fail it. */
  listRequests?: () => unknown;
  /** Answer for `take_request` (may be a promise); throw to fail it. */
  takeRequest?: (code: string) => unknown;
  /** Answer for `hand_over_session`; throw to fail it. */
  handOver?: (args: { id: string; to: string; reason: string }) => unknown;
  /** Answer for `confirm_host_match`; throw to fail it. */
  confirmHostMatch?: (args: { deviceId: string; remotecontrolId: string }) => unknown;
}

export const AGENTS: Agent[] = [
  { agent: "alex", userid: "u-1001", name: "Alex Agent", email: "alex@example.com", last_seen_at: "2026-11-20T12:00:00Z", me: true },
  { agent: "tier2.agent", userid: "u-2002", name: "Tia Tier Two", email: null, last_seen_at: "2026-11-20T11:00:00Z", me: false },
];

export function makeRequest(overrides: Partial<HelpRequest> = {}): HelpRequest {
  return {
    code: "s555-000-001",
    end_customer_name: "Ana Souza",
    end_customer_email: "ana@example.com",
    description: "The scanner app does not open",
    created_at: "2026-11-20T11:50:00Z",
    waiting_seconds: 600,
    online: false,
    device_id: "and-001",
    device_name: "Ana's Galaxy",
    matched_by: "email",
    candidates: 1,
    unknown_device: false,
    ...overrides,
  };
}

export function makeHost(overrides: Partial<HostStatus> = {}): HostStatus {
  return {
    device_id: "and-001",
    expected_alias: "Ana's Galaxy [hw:and-001]",
    matched: true,
    remotecontrol_id: "r123456789",
    teamviewer_id: "123456789",
    alias: "Ana's Galaxy [hw:and-001]",
    matched_by: "alias",
    confirmed_by: null,
    assigned: true,
    online_state: "online",
    last_seen: null,
    checked_at: "2026-11-20T12:00:00Z",
    candidates: [],
    note: null,
    ...overrides,
  };
}

/** `fakeBackend`'s `default:` branch asks here first; `UNHANDLED` means "not a help-flow command". */
export const UNHANDLED = Symbol("unhandled");

interface Context {
  sessions: Map<string, Session>;
  auth: () => AuthStatus;
  apiError: (code: ApiError["code"], message: string, fix: string | null, details?: unknown) => ApiError;
}

export interface HelpFlows {
  handle: (cmd: string, args: Record<string, unknown>) => unknown;
  /** A device user asks for help now (the inbox sees it at its next read). */
  addRequest: (request: HelpRequest) => void;
  requests: () => HelpRequest[];
}

export function helpFlows(options: HelpFlowsOptions, { sessions, auth, apiError }: Context): HelpFlows {
  let requests = [...(options.requests ?? [])];
  const agents = options.agents ?? AGENTS;
  const hosts = { ...options.hosts };
  const takenBy = new Map<string, string>();
  const me = () => agents.find((a) => a.me) ?? AGENTS[0];

  const take = (code: string): TakenRequest => {
    const holder = takenBy.get(code);
    if (holder !== undefined) {
      throw apiError("conflict", `Help request ${code} was taken by ${holder}.`, "Take another request.", { code, taken_by: holder });
    }
    const request = requests.find((r) => r.code === code);
    if (!request) throw apiError("not_found", `TeamViewer has no help request ${code}.`, "List the requests again.");
    const agent = me();
    takenBy.set(code, agent?.agent ?? "alex");
    requests = requests.filter((r) => r.code !== code);
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
            supporter_link: `https://get.teamviewer.com/v15/${code.replaceAll("-", "")}-tok`,
            end_customer_link: null,
            launched: true,
            delivery: "help_request",
            teamviewer_userid: agent?.userid ?? null,
          };
    if (session) sessions.set(session.id, session);
    return {
      code,
      device_id: request.device_id,
      unknown_device: request.unknown_device,
      session,
      supporter_link: `https://get.teamviewer.com/v15/${code.replaceAll("-", "")}-tok`,
      launched: true,
    };
  };

  const handOver = ({ id, to, reason }: { id: string; to: string; reason: string }): Handover => {
    const session = sessions.get(id);
    if (!session) throw apiError("not_found", `No session has the id "${id}".`, "List the sessions.");
    if (reason.trim() === "") throw apiError("invalid_input", "A hand-over needs a reason.", "Say why the session goes to the other agent.");
    const target = agents.find((a) => a.userid === to || a.agent === to);
    if (!target) throw apiError("not_found", `No agent "${to}" has signed in to TeamViewer here.`, "List the agents.");
    const next: Session = { ...session, agent: target.agent, teamviewer_userid: target.userid };
    sessions.set(id, next);
    return { session: next, from_agent: session.agent, to: target, reason, at: "2026-11-20T12:05:00Z" };
  };

  const handle = (cmd: string, args: Record<string, unknown>): unknown => {
    switch (cmd) {
      case "list_requests": {
        if (options.listRequests) return options.listRequests();
        if (!auth().signed_in) {
          throw apiError("sign_in_needed", "Help requests are read from TeamViewer: sign in first.", "Sign in to TeamViewer.");
        }
        const inbox: Inbox = { requests: [...requests], checked_at: "2026-11-20T12:00:00Z", group: "Help@Work" };
        return inbox;
      }
      case "take_request":
        return options.takeRequest ? options.takeRequest(args.code as string) : take(args.code as string);
      case "list_agents":
        return agents;
      case "hand_over_session": {
        const request = { id: args.id as string, to: args.to as string, reason: args.reason as string };
        return options.handOver ? options.handOver(request) : handOver(request);
      }
      case "host_status": {
        const host = hosts[args.deviceId as string];
        if (!host) throw apiError("invalid_input", "TeamViewer Host exists for Android only (U1).", "Use attended mode.");
        return host;
      }
      case "confirm_host_match": {
        const request = { deviceId: args.deviceId as string, remotecontrolId: args.remotecontrolId as string };
        if (options.confirmHostMatch) return options.confirmHostMatch(request);
        const host = hosts[request.deviceId] ?? makeHost({ device_id: request.deviceId });
        const candidate = host.candidates.find((c) => c.remotecontrol_id === request.remotecontrolId);
        if (!candidate) throw apiError("not_found", `The TeamViewer account has no device ${request.remotecontrolId}.`, "Check the id.");
        const matched: HostStatus = {
          ...host,
          matched: true,
          remotecontrol_id: candidate.remotecontrol_id,
          teamviewer_id: candidate.remotecontrol_id.slice(1),
          alias: candidate.alias,
          matched_by: "confirmed",
          confirmed_by: me()?.agent ?? "alex",
          assigned: true,
          online_state: candidate.online_state,
          candidates: [],
        };
        hosts[request.deviceId] = matched;
        return matched;
      }
      default:
        return UNHANDLED;
    }
  };

  return {
    handle,
    addRequest: (request) => {
      requests = [...requests, request];
    },
    requests: () => [...requests],
  };
}
