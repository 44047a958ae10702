/**
 * The one IPC gateway (style.md item 8): the only module that imports `@tauri-apps/*`.
 *
 * Every back-end command is a typed method here. A rejected `invoke` is normalised into an
 * `IpcError` that carries the back end's `ApiError` (`{code, message, fix, details}`), so views
 * branch on `error.code` and never parse strings. Tests replace the back end with `mockIPC`.
 */
import { Channel, invoke } from "@tauri-apps/api/core";
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import type { Activation } from "./bindings/Activation";
import type { AdminStatus } from "./bindings/AdminStatus";
import type { Agent } from "./bindings/Agent";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { AppKind } from "./bindings/AppKind";
import type { AuditExport } from "./bindings/AuditExport";
import type { AuditFacets } from "./bindings/AuditFacets";
import type { AuditFilter } from "./bindings/AuditFilter";
import type { AuditPage } from "./bindings/AuditPage";
import type { AuthStatus } from "./bindings/AuthStatus";
import type { Check } from "./bindings/Check";
import type { RuleId } from "./bindings/RuleId";
import type { ConnectionTest } from "./bindings/ConnectionTest";
import type { DeviceDetail } from "./bindings/DeviceDetail";
import type { DevicePage } from "./bindings/DevicePage";
import type { DeviceQuery } from "./bindings/DeviceQuery";
import type { DistributionResult } from "./bindings/DistributionResult";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Eula } from "./bindings/Eula";
import type { Handover } from "./bindings/Handover";
import type { HostStatus } from "./bindings/HostStatus";
import type { Inbox } from "./bindings/Inbox";
import type { Lang } from "./bindings/Lang";
import type { Mode } from "./bindings/Mode";
import type { Preflight } from "./bindings/Preflight";
import type { LastSessionSync } from "./bindings/LastSessionSync";
import type { Session } from "./bindings/Session";
import type { SessionSync } from "./bindings/SessionSync";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { SyncReport } from "./bindings/SyncReport";
import type { SessionDelivery } from "./bindings/SessionDelivery";
import type { SessionState } from "./bindings/SessionState";
import type { SettingChange } from "./bindings/SettingChange";
import type { SettingsView } from "./bindings/SettingsView";
import type { TeamViewerAccount } from "./bindings/TeamViewerAccount";
import type { TakenRequest } from "./bindings/TakenRequest";
import type { TestTarget } from "./bindings/TestTarget";
import type { Tier } from "./bindings/Tier";

/** Session lifecycle states (design.md "Session lifecycle"): the generated binding. */
export type { SessionState };

/** One preflight check inside a `blocked` error's `details.checks` (design.md): the domain's `Check`. */
export type PreflightCheck = Check;

/**
 * `api`: the back end answered with an `ApiError`.
 * `unavailable`: there is no Tauri back end (page opened in a plain browser).
 * `unexpected`: the rejection was not an `ApiError` (a bug on one side or the other).
 */
export type IpcErrorKind = "api" | "unavailable" | "unexpected";

const ERROR_CODES: readonly ErrorCode[] = [
  "internal",
  "invalid_input",
  "blocked",
  "sign_in_needed",
  "service_failed",
  "not_found",
  "conflict",
];

export class IpcError extends Error {
  override readonly name = "IpcError";
  readonly command: string;
  readonly kind: IpcErrorKind;
  readonly code: ErrorCode;
  readonly fix: string | null;
  readonly details: unknown;

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

  /** For `code == "blocked"`: the failed preflight checks listed in `details.checks`, if any. */
  get checks(): PreflightCheck[] {
    return parseChecks(this.details);
  }

  /** For `code == "conflict"`: the open session holding the device (`details.session`), if any. */
  get holder(): Session | null {
    return isRecord(this.details) ? parseSession(this.details.session) : null;
  }

  /**
   * U3: for a `distribute_app` refused with `conflict`, the numbers in `details`
   * (`{purchased, consumed, needed}`), or `null` when they are not there.
   */
  get licenceNumbers(): LicenceNumbers | null {
    if (!isRecord(this.details)) return null;
    const { purchased, consumed, needed } = this.details;
    if (!isCount(purchased) || !isCount(consumed) || !isCount(needed)) return null;
    return { purchased, consumed, needed };
  }

  /** A5: for a `delete_account` refused with `conflict`, the devices that still have Host (`details.devices`). */
  get deviceIds(): string[] {
    if (!isRecord(this.details) || !Array.isArray(this.details.devices)) return [];
    return (this.details.devices as unknown[]).filter((id): id is string => typeof id === "string");
  }
}

/** U3: the numbers of a Host distribution refused for want of unattended licences. */
export interface LicenceNumbers {
  purchased: number;
  consumed: number;
  needed: number;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0;
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
    details: body.details ?? null,
  };
}

export function parseChecks(details: unknown): PreflightCheck[] {
  if (!isRecord(details) || !Array.isArray(details.checks)) return [];
  const checks: PreflightCheck[] = [];
  for (const item of details.checks as unknown[]) {
    if (!isRecord(item) || typeof item.message !== "string" || typeof item.rule !== "string") {
      continue;
    }
    const status = item.status === "pass" || item.status === "warn" ? item.status : "block";
    checks.push({
      // The back end serialises every check's rule as a `RuleId`.
      rule: item.rule as RuleId,
      status,
      message: item.message,
      fix: typeof item.fix === "string" ? item.fix : null,
    });
  }
  return checks;
}

export function toIpcError(command: string, raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  const api = parseApiError(raw);
  if (api) return new IpcError(command, "api", api);
  const message = raw instanceof Error ? raw.message : typeof raw === "string" ? raw : describe(raw);
  return new IpcError(command, "unexpected", { code: "internal", message, fix: null, details: null });
}

export const SESSION_STATES: readonly SessionState[] = [
  "requested",
  "created",
  "delivered",
  "waiting",
  "active",
  "closed",
  "expired",
  "lost",
  "failed",
];

export function isSessionState(value: string): value is SessionState {
  return (SESSION_STATES as readonly string[]).includes(value);
}

/** Session states that can still change; the others are final. */
export const OPEN_SESSION_STATES: readonly SessionState[] = ["requested", "created", "delivered", "waiting", "active"];

export function isOpenSession(session: Pick<Session, "state">): boolean {
  return OPEN_SESSION_STATES.includes(session.state);
}

const optionalString = (value: unknown): string | null => (typeof value === "string" ? value : null);

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? (value as unknown[]).filter((item): item is string => typeof item === "string") : [];

/**
 * The hosts of TeamViewer's supporter and start links (crates/desktop `TEAMVIEWER_LINK_HOSTS`).
 * The back end refuses any other link (the start fails); the window never offers one either.
 */
export const TEAMVIEWER_LINK_HOSTS: readonly string[] = [
  "get.teamviewer.com",
  "start.teamviewer.com",
  "login.teamviewer.com",
  "getpilot.teamviewer.com",
];

/** `value` when it is an https link on a TeamViewer link host, else `null`: never offered. */
export function offeredLink(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    const plain = url.username === "" && url.password === "" && url.port === "";
    return url.protocol === "https:" && plain && TEAMVIEWER_LINK_HOSTS.includes(url.hostname) ? value : null;
  } catch {
    return null;
  }
}

/**
 * Reads a `Session` out of a back-end value, or `null` when it is not one (no `id` or `state`).
 * Optional fields a back end leaves out get their empty value, so views never read `undefined`.
 * An unknown `state` from a newer back end is kept as is (`stateLabel` shows it raw).
 */
export function parseSession(value: unknown): Session | null {
  if (!isRecord(value) || typeof value.id !== "string" || typeof value.state !== "string") return null;
  return {
    id: value.id,
    device_id: typeof value.device_id === "string" ? value.device_id : "",
    mode: value.mode === "unattended" ? "unattended" : "attended",
    state: value.state as SessionState,
    code: optionalString(value.code),
    agent: typeof value.agent === "string" ? value.agent : "",
    reason: typeof value.reason === "string" ? value.reason : "",
    created_at: typeof value.created_at === "string" ? value.created_at : "",
    expires_at: optionalString(value.expires_at),
    valid_until: optionalString(value.valid_until),
    ended_at: optionalString(value.ended_at),
    ended_by: optionalString(value.ended_by),
    supporter_link: offeredLink(value.supporter_link),
    end_customer_link: offeredLink(value.end_customer_link),
    launched: value.launched === true,
    // Like `state`, a delivery from a newer back end is kept as is.
    delivery: optionalString(value.delivery) as SessionDelivery | null,
    teamviewer_userid: optionalString(value.teamviewer_userid),
  };
}

/** A success answer that is not a session is a contract break: say so instead of showing blanks. */
function asSession(command: string): (answer: unknown) => Session {
  return (answer) => {
    const session = parseSession(answer);
    if (session) return session;
    throw new IpcError(command, "unexpected", {
      code: "internal",
      message: `${command} answered without a session (id and state): ${describe(answer)}`,
      fix: null,
      details: answer ?? null,
    });
  };
}

function parseAccount(value: unknown): TeamViewerAccount | null {
  if (!isRecord(value)) return null;
  return {
    userid: typeof value.userid === "string" ? value.userid : "",
    name: typeof value.name === "string" ? value.name : "",
    email: optionalString(value.email),
  };
}

/** `auth_status`, `sign_in` and `sign_out` answer an `AuthStatus`; anything else is a contract break. */
function asAuthStatus(command: string): (answer: unknown) => AuthStatus {
  return (answer) => {
    if (isRecord(answer) && typeof answer.signed_in === "boolean") {
      return {
        configured: answer.configured === true,
        signed_in: answer.signed_in,
        method: answer.method === "oauth" || answer.method === "script_token" ? answer.method : null,
        account: parseAccount(answer.account),
        warnings: stringList(answer.warnings),
      };
    }
    throw new IpcError(command, "unexpected", {
      code: "internal",
      message: `${command} answered without an account status (signed_in): ${describe(answer)}`,
      fix: null,
      details: answer ?? null,
    });
  };
}

/** A contract break: the command answered, but not with what it promises. */
function contractBreak(command: string, expected: string, answer: unknown): IpcError {
  return new IpcError(command, "unexpected", {
    code: "internal",
    message: `${command} answered without ${expected}: ${describe(answer)}`,
    fix: null,
    details: answer ?? null,
  });
}

/** `preflight` answers `{device_id, mode, ok, checks}`; `ok` is recomputed from the checks. */
function asPreflight(command: string): (answer: unknown) => Preflight {
  return (answer) => {
    if (!isRecord(answer) || !Array.isArray(answer.checks)) throw contractBreak(command, "the checks", answer);
    const checks = parseChecks(answer);
    return {
      device_id: typeof answer.device_id === "string" ? answer.device_id : "",
      mode: answer.mode === "unattended" ? "unattended" : "attended",
      ok: checks.every((check) => check.status !== "block"),
      checks,
    };
  };
}

function asSessions(command: string): (answer: unknown) => Session[] {
  return (answer) => {
    if (!Array.isArray(answer)) throw contractBreak(command, "a list of sessions", answer);
    return (answer as unknown[]).map(parseSession).filter((session): session is Session => session !== null);
  };
}

const TIERS: readonly Tier[] = ["silver", "gold", "platinum"];

export function isTier(value: unknown): value is Tier {
  return typeof value === "string" && (TIERS as readonly string[]).includes(value);
}

const count = (value: unknown): number => (isCount(value) ? value : 0);

function parseActivation(value: unknown): Activation | null {
  if (!isRecord(value) || (value.mode !== "attended" && value.mode !== "unattended")) return null;
  return {
    mode: value.mode,
    active: value.active === true,
    account_id: optionalString(value.account_id),
    account_name: optionalString(value.account_name),
    eula_version: optionalString(value.eula_version),
    agreed_by: optionalString(value.agreed_by),
    agreed_at: optionalString(value.agreed_at),
  };
}

/** The admin commands (A1–A6, L1, U3, U4) answer an `AdminStatus`; anything else is a contract break. */
function asAdminStatus(command: string): (answer: unknown) => AdminStatus {
  return (answer) => {
    if (!isRecord(answer) || typeof answer.locked !== "boolean" || !Array.isArray(answer.activations)) {
      throw contractBreak(command, "the admin status (locked, activations)", answer);
    }
    const licences = isRecord(answer.unattended_licences) ? answer.unattended_licences : {};
    return {
      tier: isTier(answer.tier) ? answer.tier : null,
      locked: answer.locked,
      activations: (answer.activations as unknown[])
        .map(parseActivation)
        .filter((activation): activation is Activation => activation !== null),
      unattended_licences: { purchased: count(licences.purchased), consumed: count(licences.consumed) },
      kiosk_devices_missing_allowlist: stringList(answer.kiosk_devices_missing_allowlist),
      devices_with_host: stringList(answer.devices_with_host),
    };
  };
}

function asEula(command: string): (answer: unknown) => Eula {
  return (answer) => {
    if (!isRecord(answer) || typeof answer.text !== "string" || typeof answer.sha256 !== "string") {
      throw contractBreak(command, "the EULA (text, sha256)", answer);
    }
    return {
      source: typeof answer.source === "string" ? answer.source : "",
      version: typeof answer.version === "string" ? answer.version : answer.sha256.slice(0, 16),
      sha256: answer.sha256,
      text: answer.text,
    };
  };
}

function asDistribution(command: string, app: AppKind): (answer: unknown) => DistributionResult {
  return (answer) => {
    if (!isRecord(answer) || !isCount(answer.distributed_to)) {
      throw contractBreak(command, "a distribution result (distributed_to)", answer);
    }
    return { app, devices: count(answer.devices), distributed_to: answer.distributed_to };
  };
}

function asInbox(command: string): (answer: unknown) => Inbox {
  return (answer) => {
    if (!isRecord(answer) || !Array.isArray(answer.requests)) throw contractBreak(command, "the requests", answer);
    return answer as unknown as Inbox;
  };
}

/** A taken request; its session (when it has one) read like every session. */
function asTaken(command: string): (answer: unknown) => TakenRequest {
  return (answer) => {
    if (!isRecord(answer) || typeof answer.code !== "string") throw contractBreak(command, "the request taken", answer);
    return { ...(answer as unknown as TakenRequest), session: parseSession(answer.session) };
  };
}

function asHandover(command: string): (answer: unknown) => Handover {
  return (answer) => {
    const session = isRecord(answer) ? parseSession(answer.session) : null;
    if (!isRecord(answer) || !session) throw contractBreak(command, "the session handed over", answer);
    return { ...(answer as unknown as Handover), session };
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

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!tauriAvailable()) {
    throw new IpcError(command, "unavailable", {
      code: "internal",
      message: "The Tauri back end is not available.",
      fix: null,
      details: null,
    });
  }
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toIpcError(command, raw);
  }
}

/** The typed client. Command names are snake_case verb_noun (style.md item 9). */
export const ipc = {
  appInfo: (): Promise<AppInfo> => call("app_info"),
  listDevices: (query: DeviceQuery): Promise<DevicePage> => call("list_devices", { query }),
  getDevice: (id: string): Promise<DeviceDetail> => call("get_device", { id }),
  setLanguage: (lang: Lang): Promise<void> => call<unknown>("set_language", { lang }).then(() => undefined),
  /** The agent's TeamViewer sign-in (S3). */
  authStatus: (): Promise<AuthStatus> => call<unknown>("auth_status").then(asAuthStatus("auth_status")),
  /** Opens the system browser for the TeamViewer OAuth sign-in; resolves when it is done (up to 5 minutes). */
  signIn: (): Promise<AuthStatus> => call<unknown>("sign_in").then(asAuthStatus("sign_in")),
  signOut: (): Promise<AuthStatus> => call<unknown>("sign_out").then(asAuthStatus("sign_out")),
  /**
   * Tauri maps the camelCase `deviceId` to the Rust parameter `device_id`. Rejects with `blocked`
   * (`details.checks`), `sign_in_needed` (S3), `conflict` (`details.session`: the holder),
   * `service_failed` or `not_found`.
   */
  startSession: (deviceId: string, mode: Mode, reason: string): Promise<Session> =>
    call<unknown>("start_session", { deviceId, mode, reason }).then(asSession("start_session")),
  closeSession: (id: string): Promise<Session> => call<unknown>("close_session", { id }).then(asSession("close_session")),
  /** Hands the supporter link to the TeamViewer desktop client again. */
  openSession: (id: string): Promise<void> => call<unknown>("open_session", { id }).then(() => undefined),
  getSession: (id: string): Promise<Session> => call<unknown>("get_session", { id }).then(asSession("get_session")),
  /** Every check that decides whether a session can start on the device in this mode (S1–S12). */
  preflight: (deviceId: string, mode: Mode): Promise<Preflight> =>
    call<unknown>("preflight", { deviceId, mode }).then(asPreflight("preflight")),
  /** The sessions the back end keeps (newest first); `openOnly` leaves out the final states. */
  listSessions: (openOnly: boolean): Promise<Session[]> =>
    call<unknown>("list_sessions", { openOnly }).then(asSessions("list_sessions")),
  /**
   * Reads every open session back from TeamViewer now (a case closed there is closed here, the
   * device user connected makes it active) and retries the closes still owed to TeamViewer.
   */
  syncSessions: (): Promise<SessionSync> => call("sync_sessions"),
  /** The window's last reconciliation with TeamViewer (it runs every 15 s), or `null` before the first. */
  lastSessionSync: (): Promise<LastSessionSync | null> => call("last_session_sync"),

  // Help requests, hand-overs and unattended Hosts (docs/sessions.md).
  /**
   * The help requests waiting unassigned in Help@Work's TeamViewer service queue, newest last.
   * Rejects `sign_in_needed` without a TeamViewer sign-in.
   */
  listRequests: (): Promise<Inbox> => call<unknown>("list_requests").then(asInbox("list_requests")),
  /**
   * Takes a request: assigned to the agent at TeamViewer, a session recorded (none for an unknown
   * device), the desktop client opened. Rejects `conflict` (taken by someone: `details.taken_by`,
   * or the device's open session: `details.session`), `blocked` (the device's preflight).
   */
  takeRequest: (code: string): Promise<TakenRequest> =>
    call<unknown>("take_request", { code }).then(asTaken("take_request")),
  /** The agents who signed in to TeamViewer here, with their TeamViewer user ids. */
  listAgents: (): Promise<Agent[]> => call("list_agents"),
  /**
   * Hands an open session over to `to` (an agent name or TeamViewer user id) for `reason`; the
   * answer's session is held by them. Rejects `conflict` (not the holder), `not_found` (no such agent).
   */
  handOverSession: (id: string, to: string, reason: string): Promise<Handover> =>
    call<unknown>("hand_over_session", { id, to, reason }).then(asHandover("hand_over_session")),
  /** The device's TeamViewer Host read from TeamViewer now: match, online state, last seen. */
  hostStatus: (deviceId: string): Promise<HostStatus> => call("host_status", { deviceId }),
  /** The admin confirms `remotecontrolId` is the device's Host (the fallback match). */
  confirmHostMatch: (deviceId: string, remotecontrolId: string): Promise<HostStatus> =>
    call("confirm_host_match", { deviceId, remotecontrolId }),

  /**
   * Pulls the fleet from the MDM; `onProgress` hears each page written. Rejects `conflict` while
   * another sync runs, `invalid_input` for the embedded fleet, `service_failed` when the MDM fails
   * (the pages written are kept and the next sync resumes).
   */
  syncDevices: (onProgress: (progress: SyncProgress) => void): Promise<SyncReport> => {
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
  cancelSync: (): Promise<void> => call<unknown>("cancel_sync").then(() => undefined),

  // The audit trail: filter, page, export.
  /** One page of audit events (newest first) and how many match. Rejects `invalid_input` for a bad time range. */
  listAudit: (filter: AuditFilter): Promise<AuditPage> => call("list_audit", { filter }),
  /** The agents and actions recorded: the filter choices. */
  auditFacets: (): Promise<AuditFacets> => call("audit_facets"),
  /** Writes every matching event as CSV to the Downloads folder; answers the file and the row count. */
  exportAudit: (filter: AuditFilter): Promise<AuditExport> => call("export_audit", { filter }),

  // Settings: TeamViewer sign-in, MDM connector, store, language, desktop client.
  getSettings: (): Promise<SettingsView> => call("get_settings"),
  /** Validates and saves one setting (empty clears it); secrets go to the OS keyring. */
  setSetting: (key: string, value: string): Promise<SettingChange> => call("set_setting", { key, value }),
  /** Tests a connection as the saved settings describe it; a failure rejects with the fix. */
  testSetting: (target: TestTarget): Promise<ConnectionTest> => call("test_setting", { target }),

  // Admin → Infrastructure → Help@Work (A1–A6, L1, U3, U4).
  adminStatus: (): Promise<AdminStatus> => call<unknown>("admin_status").then(asAdminStatus("admin_status")),
  /** L1: the tenant's licence tier. */
  setTier: (tier: Tier): Promise<AdminStatus> => call<unknown>("set_tier", { tier }).then(asAdminStatus("set_tier")),
  /** U3: purchased unattended licences. Rejects `conflict` when Host already uses more. */
  setLicences: (unattended: number): Promise<AdminStatus> =>
    call<unknown>("set_licences", { unattended }).then(asAdminStatus("set_licences")),
  /** A2: the TeamViewer EULA text to show before Activate. */
  getEula: (): Promise<Eula> => call<unknown>("get_eula").then(asEula("get_eula")),
  /**
   * A2: activates a mode once the admin agreed to the EULA with this SHA-256. Rejects
   * `sign_in_needed` (the admin is not signed in to TeamViewer) or `conflict` (the EULA changed).
   */
  activate: (mode: Mode, eulaSha256: string): Promise<AdminStatus> =>
    call<unknown>("activate", { mode, eulaSha256 }).then(asAdminStatus("activate")),
  /** A3: removes both activations; open sessions are ended. */
  removeActivation: (): Promise<AdminStatus> =>
    call<unknown>("remove_activation").then(asAdminStatus("remove_activation")),
  /**
   * A6: distributes (or undistributes) an app to the listed devices or to all eligible ones.
   * U3: Host beyond the purchased licences rejects `conflict` with `{purchased, consumed, needed}`.
   */
  distributeApp: (app: AppKind, devices: string[], all: boolean, distribute: boolean): Promise<DistributionResult> =>
    call<unknown>("distribute_app", { app, devices, all, distribute }).then(asDistribution("distribute_app", app)),
  /** A5: undistributes Host everywhere and asks each device to check in. */
  deprovision: (): Promise<AdminStatus> => call<unknown>("deprovision").then(asAdminStatus("deprovision")),
  /** A5: deletes the account binding; rejects `conflict` with `details.devices` while any device has Host. */
  deleteAccount: (): Promise<AdminStatus> => call<unknown>("delete_account").then(asAdminStatus("delete_account")),
  /**
   * Benchmark hook (bench/src/window_start.rs): the first device rows are painted. The back end
   * records the time only when HELPATWORK_BENCH_READY_FILE is set; any failure is ignored.
   */
  reportFirstPaint: (): Promise<void> =>
    call<unknown>("report_first_paint").then(
      () => undefined,
      () => undefined,
    ),
} as const;

export type IpcClient = typeof ipc;
