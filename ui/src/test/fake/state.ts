/**
 * What the fake back end keeps, like the Rust side: the fleet, the sign-in, the sessions, the
 * admin state, the audit trail, the settings, the inbox and the Hosts. `FakeConfig` sets it up;
 * it is plain data (JSON), so the Playwright suite can hand it to the page.
 */
import type { ReadinessBoard } from "../../bindings/ReadinessBoard";
import { makeBoard } from "./readiness";
import type { Agent } from "../../bindings/Agent";
import type { Approval } from "../../bindings/Approval";
import type { ArmedSession } from "../../bindings/ArmedSession";
import type { ApiError } from "../../bindings/ApiError";
import type { AppInfo } from "../../bindings/AppInfo";
import type { AuditEntry } from "../../bindings/AuditEntry";
import type { AuditVerification } from "../../bindings/AuditVerification";
import type { AuditSinkStatus } from "../../bindings/AuditSinkStatus";
import type { AuthStatus } from "../../bindings/AuthStatus";
import type { SyncStatus } from "../../bindings/SyncStatus";
import type { CommandName } from "../../bindings/commands";
import { OPEN_SESSION_STATES } from "../../bindings/constants";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import type { DeviceRow } from "../../bindings/DeviceRow";
import type { ErrorCode } from "../../bindings/ErrorCode";
import type { ErrorDetails } from "../../bindings/ErrorDetails";
import type { Eula } from "../../bindings/Eula";
import type { HelpRequest } from "../../bindings/HelpRequest";
import type { HostStatus } from "../../bindings/HostStatus";
import type { Lang } from "../../bindings/Lang";
import type { LastSessionSync } from "../../bindings/LastSessionSync";
import type { PendingCloseInfo } from "../../bindings/PendingCloseInfo";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import type { Session } from "../../bindings/Session";
import type { SettingsView } from "../../bindings/SettingsView";
import {
  AGENTS,
  ANDROID_DEVICE,
  defaultAdmin,
  defaultSettings,
  EULA,
  IOS_DEVICE,
  IOS_MAM_DEVICE,
  makeRow,
  rowOf,
  SIGNED_IN,
  type AdminState,
} from "./fixtures";

/** How the fake back end starts. Every field is optional; all of it is plain data. */
export interface FakeConfig {
  /** `app_info` fields over `APP_INFO` (the language is the back end's own, below). */
  info?: Partial<AppInfo>;
  /** `sync_status` fields over a store no sync has run on yet. */
  syncStatus?: Partial<SyncStatus>;
  /** The language stored before the first start (default `info.lang`, else `en`). */
  lang?: Lang;
  /** Devices with full details (they answer `get_device`). Default: Android, iOS, iOS MAM-only. */
  details?: DeviceDetail[];
  /** The device list's rows. Default: the rows of `details`. */
  rows?: DeviceRow[];
  /** A generated fleet of this many rows after the others (`dev-000000`…, `makeRow`). */
  generated?: number;
  /** The agent's sign-in at start. Default: signed in (`SIGNED_IN`). */
  auth?: AuthStatus;
  /** Sessions the back end already holds. */
  sessions?: Session[];
  /** Fields of every session `start_session` creates. */
  startOverrides?: Partial<Session>;
  /** The window's last reconciliation with TeamViewer (`last_session_sync`); default none yet. */
  lastSessionSync?: LastSessionSync | null;
  /** Closes still owed to TeamViewer, answered by `sync_sessions`. */
  pendingCloses?: PendingCloseInfo[];
  /** The admin state at start; missing fields come from `defaultAdmin()`. */
  admin?: Partial<AdminState>;
  /** The EULA `get_eula` answers (default `EULA`); `activate` must send its SHA-256. */
  eula?: Eula;
  /** The audit trail, newest first. */
  audit?: AuditEntry[];
  /**
   * What `verify_audit` answers (default: the trail intact, verified up to its newest event).
   * Set it to show a broken chain.
   */
  auditChain?: AuditVerification;
  /** The settings at start (default `defaultSettings()`). */
  settings?: SettingsView;
  /** The SIEM sinks with their backlog (default none). */
  sinks?: AuditSinkStatus[];
  /**
   * The readiness board: the one stored (painted first; `null`: none computed yet) and the one a
   * computation answers. Default: both over the fleet's rows, the stored one an hour older.
   */
  readiness?: { stored?: ReadinessBoard | null; fresh?: ReadinessBoard };
  /** The OS user's home: `export_audit` writes to its Downloads folder (default `/home/alex`). */
  home?: string;
  /** Help requests waiting in the inbox at start, newest last. */
  requests?: HelpRequest[];
  /** The agents who signed in (default `AGENTS`; the one with `me` runs the window). */
  agents?: Agent[];
  /** Each device's Host as TeamViewer reports it (`host_status`; default: each detail's `host`). */
  hosts?: Record<string, HostStatus>;
  /** Support policies kept at start. */
  policies?: PolicyEntry[];
  /** Four-eyes requests at start, newest first. */
  approvals?: Approval[];
  /** Armed sessions at start, newest first (`list_armed`). */
  armed?: ArmedSession[];
  /** Commands that reject with this error (until changed with `fail`). */
  errors?: Partial<Record<CommandName, ApiError>>;
  /** Commands that answer only when `release(cmd)` is called. */
  hold?: CommandName[];
  /** Commands that answer after this many milliseconds. */
  delays?: Partial<Record<CommandName, number>>;
}

export interface FakeState {
  info: Omit<Partial<AppInfo>, "lang">;
  details: Map<string, DeviceDetail>;
  rows: DeviceRow[];
  auth: AuthStatus;
  sessions: Map<string, Session>;
  /** Sessions started so far (their codes count up: `s101-456-789`, `s102-…`). */
  starts: number;
  startOverrides: Partial<Session>;
  lastSessionSync: LastSessionSync | null;
  pendingCloses: PendingCloseInfo[];
  admin: AdminState;
  eula: Eula;
  audit: AuditEntry[];
  auditChain: AuditVerification | null;
  settings: SettingsView;
  sinks: AuditSinkStatus[];
  home: string;
  requests: HelpRequest[];
  /** Who took each request (a second take names them). */
  takenBy: Map<string, string>;
  agents: Agent[];
  hosts: Record<string, HostStatus>;
  /** `cancel_sync` came while a sync ran. */
  syncCancelled: boolean;
  /** What `sync_status` answers (`syncable` and `connector` follow `info`). */
  syncStatus: SyncStatus;
  readiness: { stored: ReadinessBoard | null; fresh: ReadinessBoard };
  fixCancelled: boolean;
  policies: PolicyEntry[];
  approvals: Approval[];
  armed: ArmedSession[];
}

export function initialState(config: FakeConfig): FakeState {
  const details = config.details ?? [ANDROID_DEVICE, IOS_DEVICE, IOS_MAM_DEVICE];
  const rows = config.rows ? [...config.rows] : details.map(rowOf);
  for (let i = 0; i < (config.generated ?? 0); i++) rows.push(makeRow(i));
  // A copy: the page's state must not be the test's objects.
  const admin = JSON.parse(JSON.stringify({ ...defaultAdmin(), ...config.admin })) as AdminState;
  const info = { ...config.info };
  delete info.lang;
  return {
    info,
    details: new Map(details.map((d) => [d.id, d])),
    rows,
    auth: config.auth ?? SIGNED_IN,
    sessions: new Map((config.sessions ?? []).map((s) => [s.id, s])),
    starts: 0,
    startOverrides: config.startOverrides ?? {},
    lastSessionSync: config.lastSessionSync ?? null,
    pendingCloses: config.pendingCloses ?? [],
    admin,
    eula: config.eula ?? EULA,
    audit: config.audit ?? [],
    auditChain: config.auditChain ?? null,
    settings: config.settings ?? defaultSettings(),
    sinks: [...(config.sinks ?? [])],
    home: config.home ?? "/home/alex",
    requests: [...(config.requests ?? [])],
    takenBy: new Map(),
    agents: config.agents ?? AGENTS,
    hosts: { ...Object.fromEntries(details.flatMap((d) => (d.host ? [[d.id, d.host] as const] : []))), ...config.hosts },
    syncCancelled: false,
    syncStatus: {
      connector: "embedded",
      syncable: false,
      last_run_at: null,
      last_mode: null,
      last_outcome: null,
      last_error: null,
      last_devices: 0,
      watermark: null,
      last_full_at: null,
      next_full: true,
      every_minutes: 15,
      ...config.syncStatus,
    },
    readiness: {
      stored: config.readiness?.stored === undefined ? makeBoard(rows.length, "2026-12-06T09:00:00.000Z") : config.readiness.stored,
      fresh: config.readiness?.fresh ?? makeBoard(rows.length, "2026-12-06T10:00:00.000Z"),
    },
    fixCancelled: false,
    policies: [...(config.policies ?? [])],
    approvals: [...(config.approvals ?? [])],
    armed: [...(config.armed ?? [])],
  };
}

/** A rejection as the Rust side sends it. */
export function apiError(code: ErrorCode, message: string, fix: string | null, details: ErrorDetails | null = null): ApiError {
  return { code, message, fix, details };
}

/** An open session holds its device (the generated `OPEN_SESSION_STATES`). */
export function isOpen(session: Session): boolean {
  return OPEN_SESSION_STATES.includes(session.state);
}

/** The device's open session, if any. */
export function openSessionOn(state: FakeState, deviceId: string): Session | undefined {
  return [...state.sessions.values()].find((s) => s.device_id === deviceId && isOpen(s));
}
