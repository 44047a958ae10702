/**
 * The one IPC gateway (`docs/architecture.md`): the only module that imports `@tauri-apps/*`.
 *
 * Every back-end command is a typed method here, over `call`, which is typed by the command map
 * generated from the Rust command list (`bindings/commands.ts`, from src-tauri/src/command_list.rs):
 * a command name, an argument or an answer that is not the back end's fails the type check. A
 * rejected `invoke` is normalised into an `IpcError` that carries the back end's `ApiError`
 * (`{code, message, fix, details}`), so views branch on `error.code` and never parse strings.
 * Tests replace the back end with `mockIPC` (the fake back end in `test/fake`).
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import type { ApiError } from "./bindings/ApiError";
import type { Blocker } from "./bindings/Blocker";
import type { AppKind } from "./bindings/AppKind";
import type { AuditFilter } from "./bindings/AuditFilter";
import type { AuditSinkInput } from "./bindings/AuditSinkInput";
import type { Check } from "./bindings/Check";
import type { CommandName, Commands } from "./bindings/commands";
import { ERROR_CODES, OPEN_SESSION_STATES, SESSION_STATES, TEAMVIEWER_LINK_HOSTS, TIERS } from "./bindings/constants";
import type { DeviceQuery } from "./bindings/DeviceQuery";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { ErrorDetails } from "./bindings/ErrorDetails";
import type { FixProgress } from "./bindings/FixProgress";
import type { Lang } from "./bindings/Lang";
import type { Mode } from "./bindings/Mode";
import type { Policy } from "./bindings/Policy";
import type { Approval } from "./bindings/Approval";
import type { Session } from "./bindings/Session";
import type { SessionState } from "./bindings/SessionState";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { TakenRequest } from "./bindings/TakenRequest";
import type { TestTarget } from "./bindings/TestTarget";
import type { Tier } from "./bindings/Tier";

/** Session lifecycle states (`docs/sessions.md`): the generated binding. */
export type { SessionState };

/** One preflight check inside a `blocked` error's details (`docs/rules.md`): the domain's `Check`. */
export type PreflightCheck = Check;

/** A command's arguments and answer, as the generated command map declares them. */
export type CommandArgs<K extends CommandName> = Commands[K]["args"];
export type CommandAnswer<K extends CommandName> = Commands[K]["answer"];

/** A command without arguments is called without an argument object. */
type ArgList<K extends CommandName> = CommandArgs<K> extends Record<string, never> ? [] : [args: CommandArgs<K>];

/**
 * `api`: the back end answered with an `ApiError`.
 * `unavailable`: there is no Tauri back end (page opened in a plain browser).
 * `unexpected`: the rejection was not an `ApiError` (a bug on one side or the other).
 */
export type IpcErrorKind = "api" | "unavailable" | "unexpected";

export class IpcError extends Error {
  override readonly name = "IpcError";
  readonly command: string;
  readonly kind: IpcErrorKind;
  readonly code: ErrorCode;
  readonly fix: string | null;
  readonly details: ErrorDetails | null;

  constructor(command: string, kind: IpcErrorKind, api: ApiError) {
    super(api.message);
    this.command = command;
    this.kind = kind;
    this.code = api.code;
    this.fix = api.fix;
    this.details = api.details;
  }

  /** The back end's error as it crossed the boundary. */
  get api(): ApiError {
    return { code: this.code, message: this.message, fix: this.fix, details: this.details };
  }

  /** For `code == "blocked"`: the preflight checks its details carry, if any. */
  get checks(): PreflightCheck[] {
    return checksOf(this.details);
  }

  /**
   * For `code == "conflict"`: the open session holding the device, if any, with its links
   * offered like every session's.
   */
  get holder(): Session | null {
    const details = this.details;
    if (details?.kind !== "session_held") return null;
    return offeredSession(details.session);
  }

  /** For `code == "awaiting_approval"`: the four-eyes request holding the start. */
  get approval(): Approval | null {
    const details = this.details;
    return details?.kind === "awaiting_approval" ? details.approval : null;
  }

  /** U3: for a `distribute_app` refused with `conflict`, the licence numbers, or `null`. */
  get licenceNumbers(): LicenceNumbers | null {
    const details = this.details;
    if (details?.kind !== "licences") return null;
    const { purchased, consumed, needed } = details;
    return { purchased, consumed, needed };
  }

  /** A5: for a `delete_account` refused with `conflict`, the devices that still have Host. */
  get deviceIds(): string[] {
    const details = this.details;
    return details?.kind === "host_devices" ? details.devices : [];
  }
}

/** U3: the numbers of a Host distribution refused for want of unattended licences. */
export interface LicenceNumbers {
  purchased: number;
  consumed: number;
  needed: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** Reads an `ApiError` (or the CLI's `{"error": ApiError}` envelope) out of a rejection value. */
export function parseApiError(raw: unknown): ApiError | null {
  const body = isRecord(raw) && isRecord(raw.error) ? raw.error : raw;
  if (!isRecord(body) || typeof body.message !== "string" || typeof body.code !== "string") {
    return null;
  }
  return {
    // An unknown code from a newer back end is still an error the UI can show.
    code: isErrorCode(body.code) ? body.code : "internal",
    message: body.message,
    fix: typeof body.fix === "string" ? body.fix : null,
    // The back end's own `ErrorDetails`, tagged by `kind`; anything else carries none.
    details: isRecord(body.details) && typeof body.details.kind === "string" ? (body.details as ErrorDetails) : null,
  };
}

/** The checks an error's details carry: a blocked preflight's, checks refusing an action, or those of a failed step's cause. */
export function checksOf(details: ErrorDetails | null): PreflightCheck[] {
  switch (details?.kind) {
    case "preflight":
    case "checks":
      return details.checks;
    case "failed_step":
      return checksOf(details.cause);
    default:
      return [];
  }
}

export function toIpcError(command: string, raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  const api = parseApiError(raw);
  if (api) return new IpcError(command, "api", api);
  const message = raw instanceof Error ? raw.message : typeof raw === "string" ? raw : describe(raw);
  return new IpcError(command, "unexpected", { code: "internal", message, fix: null, details: null });
}

export function isSessionState(value: string): value is SessionState {
  return (SESSION_STATES as readonly string[]).includes(value);
}

/** Session states that can still change (generated from `SessionState::is_open`); the others are final. */
export function isOpenSession(session: Pick<Session, "state">): boolean {
  return OPEN_SESSION_STATES.includes(session.state);
}

export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

/**
 * `value` when it is an https link on a TeamViewer link host (generated from crates/desktop
 * `TEAMVIEWER_LINK_HOSTS`), else `null`: never offered. The back end refuses any other link (the
 * start fails); the window never offers one either (hardening finding 2).
 */
export function offeredLink(value: string | null): string | null {
  if (value === null) return null;
  try {
    const url = new URL(value);
    const plain = url.username === "" && url.password === "" && url.port === "";
    return url.protocol === "https:" && plain && TEAMVIEWER_LINK_HOSTS.includes(url.hostname) ? value : null;
  } catch {
    return null;
  }
}

/** A session with only its offered links (`offeredLink`): the window shows no other. */
export function offeredSession(session: Session): Session {
  return {
    ...session,
    supporter_link: offeredLink(session.supporter_link),
    end_customer_link: offeredLink(session.end_customer_link),
  };
}

/** A taken help request with only offered links, its session's included. */
function offeredTaken(taken: TakenRequest): TakenRequest {
  return {
    ...taken,
    supporter_link: offeredLink(taken.supporter_link),
    session: taken.session === null ? null : offeredSession(taken.session),
  };
}

interface TauriWindow {
  __TAURI_INTERNALS__?: { invoke?: unknown };
}

function describe(value: unknown): string {
  try {
    // JSON.stringify answers undefined (not a string) for these.
    if (value === undefined || typeof value === "function" || typeof value === "symbol") return String(value);
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function tauriAvailable(): boolean {
  if (typeof window === "undefined") return false;
  return typeof (window as TauriWindow).__TAURI_INTERNALS__?.invoke === "function";
}

/** Invokes `command` with its arguments; a rejection becomes an `IpcError`. */
async function call<K extends CommandName>(command: K, ...args: ArgList<K>): Promise<CommandAnswer<K>> {
  if (!tauriAvailable()) {
    throw new IpcError(command, "unavailable", {
      code: "internal",
      message: "The Tauri back end is not available.",
      fix: null,
      details: null,
    });
  }
  try {
    return await invoke<CommandAnswer<K>>(command, args[0]);
  } catch (raw) {
    throw toIpcError(command, raw);
  }
}

/** The typed client. Command names are snake_case verb_noun (`docs/architecture.md`, "Adding a command"). */
export const ipc = {
  appInfo: () => call("app_info"),
  listDevices: (query: DeviceQuery) => call("list_devices", { query }),
  getDevice: (id: string) => call("get_device", { id }),
  setLanguage: (lang: Lang): Promise<void> => call("set_language", { lang }).then(() => undefined),
  /** The agent's TeamViewer sign-in (S3). */
  authStatus: () => call("auth_status"),
  /** Opens the system browser for the TeamViewer OAuth sign-in; resolves when it is done (up to 5 minutes). */
  signIn: () => call("sign_in"),
  signOut: () => call("sign_out"),
  /**
   * Tauri maps the camelCase `deviceId` to the Rust parameter `device_id`. Rejects with `blocked`
   * (`details.checks`), `sign_in_needed` (S3), `conflict` (`details.session`: the holder),
   * `service_failed` or `not_found`.
   */
  startSession: (deviceId: string, mode: Mode, reason: string, ticket: string | null = null) =>
    call("start_session", { deviceId, mode, reason, ticket }).then(offeredSession),
  closeSession: (id: string) => call("close_session", { id }).then(offeredSession),
  /** Hands the supporter link to the TeamViewer desktop client again. */
  openSession: (id: string): Promise<void> => call("open_session", { id }).then(() => undefined),
  getSession: (id: string) => call("get_session", { id }).then(offeredSession),
  /**
   * The coaching card of an attended session: what the device user does (the same card the case
   * shows them) and the code they read back. Rejects `invalid_input` for an unattended session.
   */
  coachingCard: (id: string) => call("coaching_card", { id }),
  /** Every check that decides whether a session can start on the device in this mode (S1–S12). */
  preflight: (deviceId: string, mode: Mode, ticket: string | null = null) => call("preflight", { deviceId, mode, ticket }),
  /** The sessions the back end keeps (newest first); `openOnly` leaves out the final states. */
  listSessions: (openOnly: boolean) => call("list_sessions", { openOnly }).then((sessions) => sessions.map(offeredSession)),
  /**
   * Reads every open session back from TeamViewer now (a case closed there is closed here, the
   * device user connected makes it active) and retries the closes still owed to TeamViewer.
   */
  syncSessions: () => call("sync_sessions"),
  /** The window's last reconciliation with TeamViewer (it runs every 15 s), or `null` before the first. */
  lastSessionSync: () => call("last_session_sync"),

  // Help requests, hand-overs and unattended Hosts (docs/sessions.md).
  /**
   * The help requests waiting unassigned in Help@Work's TeamViewer service queue, newest last.
   * Rejects `sign_in_needed` without a TeamViewer sign-in.
   */
  listRequests: () => call("list_requests"),
  /**
   * Takes a request: assigned to the agent at TeamViewer, a session recorded (none for an unknown
   * device), the desktop client opened. Rejects `conflict` (taken by someone: `details.taken_by`,
   * or the device's open session: `details.session`), `blocked` (the device's preflight).
   */
  takeRequest: (code: string) => call("take_request", { code }).then(offeredTaken),
  /** The agents who signed in to TeamViewer here, with their TeamViewer user ids. */
  listAgents: () => call("list_agents"),
  /**
   * Hands an open session over to `to` (an agent name or TeamViewer user id) for `reason`; the
   * answer's session is held by them. Rejects `conflict` (not the holder), `not_found` (no such agent).
   */
  handOverSession: (id: string, to: string, reason: string) =>
    call("hand_over_session", { id, to, reason }).then((handover) => ({
      ...handover,
      session: offeredSession(handover.session),
    })),
  // Armed sessions: started at the device's next check-in (docs/sessions.md).
  /** The waiting armed sessions (`all`: also the fired, expired, cancelled, failed ones), newest first. */
  listArmed: (all: boolean) => call("list_armed", { all }),
  /**
   * Arms a session for the device's next check-in, waiting `withinMinutes` (default 4 h). Rejects
   * `conflict` (an open session, or armed by another agent: `details.armed`), `blocked`.
   */
  armSession: (deviceId: string, mode: Mode, reason: string, ticket: string | null, withinMinutes: number | null) =>
    call("arm_session", { deviceId, mode, reason, ticket, withinMinutes }),
  /** Arms again a session that ended lost (S9), expired (S5) or failed. */
  rearmSession: (id: string, withinMinutes: number | null) => call("rearm_session", { id, withinMinutes }),
  /** Cancels the agent's armed session; rejects `conflict` for another agent's. */
  cancelArmed: (id: string) => call("cancel_armed", { id }),
  // Support policies and four eyes (docs/audit.md, Support policies).
  /** Unattended starts awaiting approval and approvals not yet used (`all`: every request), newest first. */
  listApprovals: (all: boolean) => call("list_approvals", { all }),
  /** Approves another agent's request; rejects `blocked` for the requester's own, `conflict` when no longer pending. */
  approveStart: (id: string) => call("approve_start", { id }),
  refuseStart: (id: string, reason: string | null) => call("refuse_start", { id, reason }),
  listPolicies: () => call("list_policies"),
  /** Adds or replaces a policy; rejects `invalid_input` with the fix when it is not valid. */
  setPolicy: (policy: Policy) => call("set_policy", { policy }),
  removePolicy: (name: string) => call("remove_policy", { name }),
  /** The device's TeamViewer Host read from TeamViewer now: match, online state, last seen. */
  hostStatus: (deviceId: string) => call("host_status", { deviceId }),
  /** The admin confirms `remotecontrolId` is the device's Host (the fallback match). */
  confirmHostMatch: (deviceId: string, remotecontrolId: string) =>
    call("confirm_host_match", { deviceId, remotecontrolId }),

  /**
   * Pulls the fleet from the MDM; `onProgress` hears each page written. Rejects `conflict` while
   * another sync runs, `invalid_input` for the embedded fleet, `service_failed` when the MDM fails
   * (the pages written are kept and the next sync resumes).
   */
  syncDevices: (onProgress: (progress: SyncProgress) => void) => {
    const channel = new Channel<SyncProgress>();
    channel.onmessage = onProgress;
    return call("sync_devices", { onProgress: channel });
  },
  /**
   * A desktop notification (asks the OS for permission the first time). Resolves whether it was
   * shown; never rejects: a missing notification service must not break the flow that notifies.
   */
  notify: async (title: string, body: string): Promise<boolean> => {
    if (!tauriAvailable()) return false;
    try {
      let granted = await isPermissionGranted();
      if (!granted) granted = (await requestPermission()) === "granted";
      if (granted) sendNotification({ title, body });
      return granted;
    } catch {
      return false;
    }
  },
  /** Stops the running sync after the page being written (its report says `cancelled`). */
  cancelSync: (): Promise<void> => call("cancel_sync").then(() => undefined),
  /** When the last devices sync ran (any process of this store) and how it ended. */
  syncStatus: () => call("sync_status"),

  // The fleet readiness board and its bulk fixes (docs/readiness.md).
  /** The board as last computed, at once (`null` before the first computation); its `taken_at` says when. */
  readinessBoard: () => call("readiness_board"),
  /** Computes a fresh board over the whole fleet (seconds at 100,000 devices); it becomes the stored one. */
  refreshReadiness: (offlineDays: number) => call("refresh_readiness", { offlineDays }),
  /** The ids of a group's devices (id order), for the devices table. */
  readinessGroup: (mode: Mode, group: Blocker, offlineDays: number) =>
    call("readiness_group", { mode, group, offlineDays }),
  /** A group's fix as a dry run: each device's change or why none, the U3 licences, why it would be refused. */
  planFix: (mode: Mode, group: Blocker, offlineDays: number) => call("plan_fix", { mode, group, offlineDays }),
  /**
   * Runs the group's fix as planned; `onProgress` hears each device handled. Rejects `blocked`
   * when the plan is refused, `conflict` while another fix runs.
   */
  runFix: (mode: Mode, group: Blocker, offlineDays: number, onProgress: (progress: FixProgress) => void) => {
    const channel = new Channel<FixProgress>();
    channel.onmessage = onProgress;
    return call("run_fix", { mode, group, offlineDays, onProgress: channel });
  },
  /** Stops the running fix before its next device (its run says `cancelled`). */
  cancelFix: (): Promise<void> => call("cancel_fix").then(() => undefined),
  /** Writes the group's devices as CSV to the Downloads folder, for the MDM console. */
  exportGroup: (mode: Mode, group: Blocker, offlineDays: number) => call("export_group", { mode, group, offlineDays }),

  // The audit trail: filter, page, export.
  /** One page of audit events (newest first) and how many match. Rejects `invalid_input` for a bad time range. */
  listAudit: (filter: AuditFilter) => call("list_audit", { filter }),
  /** The agents and actions recorded: the filter choices. */
  auditFacets: () => call("audit_facets"),
  /** Writes every matching event as CSV to the Downloads folder; answers the file and the row count. */
  exportAudit: (filter: AuditFilter) => call("export_audit", { filter }),
  /** Walks the audit trail's hash chain: `intact` and how far it was verified, or the first broken link. */
  verifyAudit: () => call("verify_audit"),

  // Streaming the audit trail to a SIEM (docs/audit.md).
  /** Every sink with its backlog (pending events, the oldest's age, the last error). */
  listAuditSinks: () => call("list_audit_sinks"),
  /** Adds or changes a sink; rejects `invalid_input` with the fix. A bearer secret goes to the OS keyring. */
  putAuditSink: (sink: AuditSinkInput) => call("put_audit_sink", { sink }),
  removeAuditSink: (id: string): Promise<null> => call("remove_audit_sink", { id }),
  /** Delivers what every sink is owed, now. */
  sendAudit: () => call("send_audit"),

  // Settings: TeamViewer sign-in, MDM connector, store, language, desktop client.
  getSettings: () => call("get_settings"),
  /** Validates and saves one setting (empty clears it); secrets go to the OS keyring. */
  setSetting: (key: string, value: string) => call("set_setting", { key, value }),
  /** Tests a connection as the saved settings describe it; a failure rejects with the fix. */
  testSetting: (target: TestTarget) => call("test_setting", { target }),

  // Admin → Infrastructure → Help@Work (A1–A6, L1, U3, U4).
  adminStatus: () => call("admin_status"),
  /** L1: the tenant's licence tier. */
  setTier: (tier: Tier) => call("set_tier", { tier }),
  /** U3: purchased unattended licences. Rejects `conflict` when Host already uses more. */
  setLicences: (unattended: number) => call("set_licences", { unattended }),
  /** A2: the TeamViewer EULA text to show before Activate. */
  getEula: () => call("get_eula"),
  /**
   * A2: activates a mode once the admin agreed to the EULA with this SHA-256. Rejects
   * `sign_in_needed` (the admin is not signed in to TeamViewer) or `conflict` (the EULA changed).
   */
  activate: (mode: Mode, eulaSha256: string) => call("activate", { mode, eulaSha256 }),
  /** A3: removes both activations; open sessions are ended. */
  removeActivation: () => call("remove_activation"),
  /**
   * A6: distributes (or undistributes) an app to the listed devices or to all eligible ones.
   * U3: Host beyond the purchased licences rejects `conflict` with `{purchased, consumed, needed}`.
   */
  distributeApp: (app: AppKind, devices: string[], all: boolean, distribute: boolean) =>
    call("distribute_app", { app, devices, all, distribute }),
  /** A5: undistributes Host everywhere and asks each device to check in. */
  deprovision: () => call("deprovision"),
  /** A5: deletes the account binding; rejects `conflict` with `details.devices` while any device has Host. */
  deleteAccount: () => call("delete_account"),
  /**
   * Benchmark hook (bench/src/window_start.rs): the first device rows are painted. The back end
   * records the time only when HELPATWORK_BENCH_READY_FILE is set; any failure is ignored.
   */
  reportFirstPaint: (): Promise<void> =>
    call("report_first_paint").then(
      () => undefined,
      () => undefined,
    ),
} as const;

export type IpcClient = typeof ipc;
