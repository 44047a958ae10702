/**
 * A fake back end for component tests, installed with `mockIPC`: it answers the same commands
 * with the same shapes as the Rust side (`app_info`, `list_devices`, `get_device`,
 * `set_language`, `auth_status`, `sign_in`, `sign_out`, `preflight`, `start_session`,
 * `get_session`, `open_session`, `close_session`, `list_sessions`, and the admin commands
 * `admin_status`, `set_tier`, `set_licences`, `get_eula`, `activate`, `remove_activation`,
 * `distribute_app`, `deprovision`, `delete_account`) and records every call. Like the Rust side
 * it keeps the agent's sign-in, the sessions and the admin state: a start without sign-in
 * answers `sign_in_needed` (S3), an activation needs the sign-in and the EULA shown (A2), Host
 * beyond the purchased licences is refused with the numbers (U3), and the account binding is
 * not deleted while a device has Host (A5).
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Channel } from "@tauri-apps/api/core";
import type { Activation } from "../bindings/Activation";
import type { AdminStatus } from "../bindings/AdminStatus";
import type { ApiError } from "../bindings/ApiError";
import type { AppInfo } from "../bindings/AppInfo";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { SyncReport } from "../bindings/SyncReport";
import type { AppKind } from "../bindings/AppKind";
import type { AuditEntry } from "../bindings/AuditEntry";
import type { AuditFilter } from "../bindings/AuditFilter";
import type { AuthStatus } from "../bindings/AuthStatus";
import type { Check } from "../bindings/Check";
import type { DeviceDetail } from "../bindings/DeviceDetail";
import type { DevicePage } from "../bindings/DevicePage";
import type { DeviceQuery } from "../bindings/DeviceQuery";
import type { DeviceRow } from "../bindings/DeviceRow";
import type { Eula } from "../bindings/Eula";
import type { Lang } from "../bindings/Lang";
import type { Mode } from "../bindings/Mode";
import type { Platform } from "../bindings/Platform";
import type { Readiness } from "../bindings/Readiness";
import type { Preflight } from "../bindings/Preflight";
import type { Session } from "../bindings/Session";
import type { SettingEntry } from "../bindings/SettingEntry";
import type { SettingsView } from "../bindings/SettingsView";
import type { TestTarget } from "../bindings/TestTarget";
import type { Tier } from "../bindings/Tier";
import { helpFlows, UNHANDLED, type HelpFlows, type HelpFlowsOptions } from "./fakeHelpFlows";

const PLATFORMS: readonly Platform[] = ["android", "ios", "android", "windows", "ios", "other"];
const READINESS: readonly Readiness[] = ["ready", "attention", "blocked", "ready", "unsupported"];

export function makeRow(i: number): DeviceRow {
  const platform = PLATFORMS[i % PLATFORMS.length] ?? "android";
  return {
    id: `dev-${String(i).padStart(6, "0")}`,
    name: `Device ${i}`,
    user_name: `User ${i}`,
    user_email: `user${i}@example.com`,
    platform,
    os_version: platform === "ios" ? "17.4" : "14",
    manufacturer: platform === "ios" ? "Apple" : "Samsung",
    model: platform === "ios" ? "iPhone 15" : "Galaxy S24",
    online: i % 3 !== 0,
    last_checkin: "2026-11-20T10:00:00Z",
    readiness: READINESS[i % READINESS.length] ?? "ready",
  };
}

export function makeRows(count: number): DeviceRow[] {
  return Array.from({ length: count }, (_, i) => makeRow(i));
}

export const ANDROID_DEVICE: DeviceDetail = {
  id: "and-001",
  name: "Ana's Galaxy",
  user: { name: "Ana Souza", email: "ana@example.com" },
  platform: "android",
  os_version: "14",
  manufacturer: "Samsung",
  model: "Galaxy S24",
  kiosk: false,
  mam_only: false,
  online: true,
  last_checkin: "2026-11-20T10:00:00Z",
  host_activated: true,
  apps: [
    { app: "quicksupport", version: "15.60.1", managed: true, allowlisted: true },
    { app: "host", version: "15.60.1", managed: true, allowlisted: true },
  ],
  management: {
    compliant: true,
    quarantined: false,
    jailbroken: false,
    supervised: null,
    lost_mode: false,
    ownership: "company",
    client_version: "100.0.0",
  },
  reported_by: null,
  readiness: "ready",
  remote_action: { kind: "remote_control", enabled: true, disabled_reason: null },
  eligibility: [
    { mode: "attended", status: "ready", reasons: [] },
    { mode: "unattended", status: "ready", reasons: [] },
  ],
};

export const IOS_DEVICE: DeviceDetail = {
  ...ANDROID_DEVICE,
  id: "ios-001",
  name: "Bruno's iPhone",
  user: { name: "Bruno Lima", email: "bruno@example.com" },
  platform: "ios",
  os_version: "17.4",
  manufacturer: "Apple",
  model: "iPhone 15",
  host_activated: false,
  apps: [{ app: "quicksupport", version: "15.60.1", managed: true, allowlisted: true }],
  readiness: "attention",
  remote_action: { kind: "remote_view", enabled: true, disabled_reason: null },
  eligibility: [
    { mode: "attended", status: "attention", reasons: ["iOS allows view only, not control."] },
    { mode: "unattended", status: "unsupported", reasons: ["Unattended mode is Android only (U1)."] },
  ],
};

/** An iOS device synced from Ivanti without CPS access: its apps and Host activation unknown. */
export const IVANTI_IOS_DEVICE: DeviceDetail = {
  ...IOS_DEVICE,
  id: "1000007",
  name: "Elisa's iPhone",
  user: { name: "Elisa Costa", email: "elisa@example.com" },
  host_activated: null,
  apps: null,
  management: {
    compliant: true,
    quarantined: false,
    jailbroken: null,
    supervised: true,
    lost_mode: null,
    ownership: "employee",
    client_version: null,
  },
  reported_by: "Ivanti Neurons for MDM",
  eligibility: [
    {
      mode: "attended",
      status: "attention",
      reasons: ["Whether TeamViewer QuickSupport is installed cannot be verified through Ivanti Neurons for MDM."],
    },
    { mode: "unattended", status: "unsupported", reasons: ["Unattended mode is Android only (U1)."] },
  ],
};

export const MAM_REASON = "iOS devices enrolled MAM-only are not supported (L2).";

export const IOS_MAM_DEVICE: DeviceDetail = {
  ...IOS_DEVICE,
  id: "ios-mam",
  name: "Carla's iPad",
  user: { name: "Carla Dias", email: "carla@example.com" },
  mam_only: true,
  readiness: "unsupported",
  remote_action: { kind: "remote_view", enabled: false, disabled_reason: MAM_REASON },
  eligibility: [
    { mode: "attended", status: "unsupported", reasons: [MAM_REASON] },
    { mode: "unattended", status: "unsupported", reasons: [MAM_REASON] },
  ],
};

export function rowOf(detail: DeviceDetail): DeviceRow {
  return {
    id: detail.id,
    name: detail.name,
    user_name: detail.user.name,
    user_email: detail.user.email,
    platform: detail.platform,
    os_version: detail.os_version,
    manufacturer: detail.manufacturer,
    model: detail.model,
    online: detail.online,
    last_checkin: detail.last_checkin,
    readiness: detail.readiness,
  };
}

export interface StartArgs {
  deviceId: string;
  mode: Mode;
  reason: string;
}

export const AGENT = { userid: "u-1001", name: "Alex Agent", email: "alex@example.com" } as const;

export const SIGNED_IN: AuthStatus = {
  configured: true,
  signed_in: true,
  method: "oauth",
  account: { ...AGENT },
  warnings: [],
};
export const SIGNED_OUT: AuthStatus = { configured: true, signed_in: false, method: null, account: null, warnings: [] };
export const NOT_CONFIGURED: AuthStatus = {
  configured: false,
  signed_in: false,
  method: null,
  account: null,
  warnings: [],
};

export const SESSION_CODE = "s123-456-789";
/** S5: on iOS the session ID expires after 30 minutes. */
export const IOS_EXPIRY_MS = 30 * 60_000;
/** TeamViewer's session code is valid 24 hours unless told otherwise. */
export const VALIDITY_MS = 24 * 3_600_000;

/** A session as the Rust side answers it; `overrides` win. */
export function makeSession(overrides: Partial<Session> = {}): Session {
  return {
    id: "sess-1",
    device_id: "and-001",
    mode: "attended",
    state: "delivered",
    code: SESSION_CODE,
    agent: AGENT.name,
    reason: "",
    created_at: "2026-11-20T12:00:00Z",
    delivery: "managed_app_config",
    expires_at: null,
    valid_until: null,
    ended_at: null,
    ended_by: null,
    supporter_link: "https://start.teamviewer.com/s123456789",
    end_customer_link: "https://get.teamviewer.com/s123456789",
    launched: true,
    teamviewer_userid: null,
    ...overrides,
  };
}

/** The admin's side as the back end keeps it (tenant, integrations, distributions, devices). */
export interface AdminState {
  tier: Tier | null;
  activations: Activation[];
  /** Purchased unattended licences (U3). */
  purchased: number;
  /** Devices each app is distributed to (A6); Host's count is the licences consumed (U3). */
  distributions: Partial<Record<AppKind, string[]>>;
  /** Devices that still report Host installed (A5). */
  devicesWithHost: string[];
  /** Kiosk devices where Host or an add-on is not allowed (U4). */
  kioskMissing: string[];
}

/** Who the back end records as having agreed (the OS user running the app). */
export const ADMIN_ACTOR = "maria.admin";
export const AGREED_AT = "2026-11-20T09:30:00Z";

export const EULA: Eula = {
  source: "bundled notice",
  version: "3f2a9c0d1e4b5a6c",
  sha256: "3f2a9c0d1e4b5a6c7d8e9f00112233445566778899aabbccddeeff0011223344",
  text: "TeamViewer End User License Agreement (EULA)\n\nUse of TeamViewer is governed by TeamViewer's End User License Agreement.\n\nBy choosing \"I agree\" you accept it on behalf of your organisation.",
};

export function makeActivation(mode: Mode, active: boolean, overrides: Partial<Activation> = {}): Activation {
  return active
    ? {
        mode,
        active,
        account_id: "tv-42",
        account_name: "Contoso Helpdesk",
        eula_version: EULA.version,
        agreed_by: ADMIN_ACTOR,
        agreed_at: AGREED_AT,
        ...overrides,
      }
    : { mode, active, account_id: null, account_name: null, eula_version: null, agreed_by: null, agreed_at: null, ...overrides };
}

/** Like the demo: Platinum, both modes activated, Host on the Android device, 2 licences. */
export function defaultAdmin(): AdminState {
  return {
    tier: "platinum",
    activations: [makeActivation("attended", true), makeActivation("unattended", true)],
    purchased: 2,
    distributions: { host: ["and-001"], quicksupport: ["and-001", "ios-001"] },
    devicesWithHost: ["and-001"],
    kioskMissing: [],
  };
}

export interface PreflightArgs {
  deviceId: string;
  mode: Mode;
}

export interface DistributeArgs {
  app: AppKind;
  devices: string[];
  all: boolean;
  distribute: boolean;
}

export interface FakeOptions {
  rows?: DeviceRow[];
  details?: DeviceDetail[];
  info?: Partial<AppInfo>;
  /** Answer for `start_session`; throw (or return a rejected promise) to fail it. */
  startSession?: (args: StartArgs) => unknown;
  /** Answer for `list_devices`; throw to fail it. Default: filter and slice `rows`. */
  listDevices?: (query: DeviceQuery) => unknown;
  /** Answer for `app_info`; throw to fail it. */
  appInfo?: () => unknown;
  /** The agent's sign-in at start. Default: signed in (`SIGNED_IN`). */
  auth?: AuthStatus;
  /** Answer for `auth_status`; throw to fail it. Default: the current sign-in. */
  authStatus?: () => unknown;
  /**
   * Answer for `sign_in` (may be a promise, e.g. to hold the browser round trip open); throw or
   * reject to fail it. An `AuthStatus` answer becomes the current sign-in. Default: signs in as
   * `AGENT`, or `invalid_input` when not configured.
   */
  signIn?: () => unknown;
  /** Answer for `sign_out`; throw to fail it. Default: signed out. */
  signOut?: () => unknown;
  /** Sessions the back end already holds (for `get_session`, `open_session`, `close_session`). */
  sessions?: Session[];
  /** Answer for `get_session`; throw to fail it. Default: the stored session. */
  getSession?: (id: string) => unknown;
  /** Answer for `open_session`; throw to fail it. Default: marks the session launched. */
  openSession?: (id: string) => unknown;
  /** Answer for `close_session`; throw to fail it. Default: the stored session, closed. */
  closeSession?: (id: string) => unknown;
  /**
   * Answer for `preflight` (may be a promise); throw to fail it. Default: computed like the Rust
   * side from the tier (L1), the mode's activation (A1, U1), the device's eligibility, the
   * sign-in (S3) and an open session on the device.
   */
  preflight?: (args: PreflightArgs) => unknown;
  /** Answer for `list_sessions`; throw to fail it. Default: the stored sessions, newest first. */
  listSessions?: (openOnly: boolean) => unknown;
  /** Answer for `sync_sessions` (may be a promise); throw to fail it. Default: checked, nothing changed. */
  syncSessions?: () => unknown;
  /** Answer for `last_session_sync`. Default: `null` (no reconciliation yet). */
  lastSessionSync?: () => unknown;
  /** The admin state at start; missing fields come from `defaultAdmin()`. */
  admin?: Partial<AdminState>;
  /** Answer for `admin_status`; throw to fail it. */
  adminStatus?: () => unknown;
  /** The EULA text `get_eula` answers (default `EULA`); `activate` must send its SHA-256. */
  eula?: Eula;
  /** Answer for `get_eula`; throw to fail it. */
  getEula?: () => unknown;
  /** Answer for `activate` (may be a promise); throw to fail it. */
  activate?: (args: { mode: Mode; eulaSha256: string }) => unknown;
  /** Answer for `distribute_app`; throw to fail it. */
  distributeApp?: (args: DistributeArgs) => unknown;
  /**
   * Answer for `sync_devices` (may be a promise); `send` delivers progress on the channel, and
   * `cancelled()` tells whether `cancel_sync` came. Throw or reject to fail it.
   */
  syncDevices?: (send: (progress: SyncProgress) => void, cancelled: () => boolean) => unknown;
  /** The audit trail (newest first); `list_audit` filters and pages it like the Rust side. */
  audit?: AuditEntry[];
  /** Answer for `list_audit`; throw to fail it. */
  listAudit?: (filter: AuditFilter) => unknown;
  /** Answer for `export_audit`; throw to fail it. Default: the matching rows, a Downloads path. */
  exportAudit?: (filter: AuditFilter) => unknown;
  /** The settings at start (default `defaultSettings()`). */
  settings?: SettingsView;
  /** Answer for `get_settings`; throw to fail it. Default: the current settings. */
  getSettings?: () => unknown;
  /** Answer for `set_setting`; throw to refuse. Default: saves non-empty values (secrets: only `is_set`). */
  setSetting?: (args: { key: string; value: string }) => unknown;
  /** Answer for `test_setting`; throw to fail it. */
  testSetting?: (target: TestTarget) => unknown;
  /** The inbox, the agents and hand-overs, the devices' Hosts (`fakeHelpFlows.ts`). */
  help?: HelpFlowsOptions;
}

export function makeAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: "audit-1",
    at: "2026-11-20T10:00:00.000Z",
    actor: "alex",
    actor_verified: true,
    actor_account_id: AGENT.userid,
    actor_account_name: AGENT.name,
    action: "session.start",
    device_id: "and-001",
    session_id: "sess-1",
    detail: { mode: "attended" },
    ...overrides,
  };
}

/** The Rust side's filter (audit.rs): exact device/actor/action, since inclusive, until exclusive. */
export function auditPage(entries: readonly AuditEntry[], filter: AuditFilter) {
  const hits = entries.filter(
    (e) =>
      (filter.device_id === null || e.device_id === filter.device_id) &&
      (filter.actor === null || e.actor === filter.actor) &&
      (filter.action === null || e.action === filter.action) &&
      (filter.since === null || Date.parse(e.at) >= Date.parse(filter.since)) &&
      (filter.until === null || Date.parse(e.at) < Date.parse(filter.until)),
  );
  const limit = filter.limit === 0 ? 50 : filter.limit;
  return { total: hits.length, offset: filter.offset, items: hits.slice(filter.offset, filter.offset + limit), hits };
}

function entry(key: string, overrides: Partial<SettingEntry> = {}): SettingEntry {
  return {
    key,
    value: null,
    saved: null,
    source: "default",
    env: null,
    overridden: false,
    secret: false,
    is_set: false,
    choices: [],
    restart: key !== "language",
    ...overrides,
  };
}

/** Settings as the Rust side answers them for a fresh data dir. */
export function defaultSettings(): SettingsView {
  return {
    file: "/tmp/helpatwork/settings.json",
    oauth_redirect: "http://127.0.0.1:<any port>/callback",
    warnings: [],
    entries: [
      entry("language", { choices: ["en", "pt-BR"] }),
      entry("teamviewer.sign_in", { choices: ["oauth", "script_token"] }),
      entry("teamviewer.client_id", { env: "HELPATWORK_TEAMVIEWER_CLIENT_ID" }),
      entry("teamviewer.client_secret", { env: "HELPATWORK_TEAMVIEWER_CLIENT_SECRET", secret: true }),
      entry("teamviewer.token", { env: "HELPATWORK_TEAMVIEWER_TOKEN", secret: true }),
      entry("mdm.connector", { env: "HELPATWORK_MDM", choices: ["embedded", "ivanti"] }),
      entry("ivanti.url", { env: "HELPATWORK_IVANTI_URL" }),
      entry("ivanti.user", { env: "HELPATWORK_IVANTI_USER" }),
      entry("ivanti.password", { env: "HELPATWORK_IVANTI_PASSWORD", secret: true }),
      entry("ivanti.partition", { env: "HELPATWORK_IVANTI_PARTITION" }),
      entry("ivanti.cps_url", { env: "HELPATWORK_IVANTI_CPS_URL" }),
      entry("ivanti.cps_user", { env: "HELPATWORK_IVANTI_CPS_USER" }),
      entry("ivanti.cps_password", { env: "HELPATWORK_IVANTI_CPS_PASSWORD", secret: true }),
      entry("ivanti.cps_rate", { env: "HELPATWORK_IVANTI_CPS_RATE" }),
      entry("store.url", { env: "HELPATWORK_DATABASE_URL" }),
      entry("desktop.teamviewer_home", { env: "HELPATWORK_TEAMVIEWER_HOME" }),
    ],
  };
}

export interface FakeBackend {
  calls: { cmd: string; args: unknown }[];
  queries: () => DeviceQuery[];
  lang: () => Lang;
  auth: () => AuthStatus;
  /** The calls of one command, in order. */
  callsOf: (cmd: string) => unknown[];
  session: (id: string) => Session | undefined;
  /** The admin state now (tier, activations, licences, distributions). */
  admin: () => AdminState;
  /** Changes the EULA the back end answers (A2: a text changed after it was shown). */
  setEula: (eula: Eula) => void;
  /** Devices report Host gone after a check-in (A5). */
  checkIn: () => void;
  /** The help flows' state: add a request, read the inbox. */
  help: HelpFlows;
}

export function apiError(code: ApiError["code"], message: string, fix: string | null, details: unknown = null): ApiError {
  return { code, message, fix, details };
}

function matches(row: DeviceRow, query: DeviceQuery): boolean {
  if (query.platform !== null) {
    const other = row.platform !== "android" && row.platform !== "ios";
    if (query.platform === "other" ? !other : row.platform !== query.platform) return false;
  }
  if (query.readiness !== null && row.readiness !== query.readiness) return false;
  if (query.search !== null) {
    const needle = query.search.toLowerCase();
    const hay = [row.name, row.user_name, row.user_email, row.model, row.id].join("\n").toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

export function listPage(rows: readonly DeviceRow[], query: DeviceQuery): DevicePage {
  const hits = rows.filter((row) => matches(row, query));
  return { total: hits.length, offset: query.offset, items: hits.slice(query.offset, query.offset + query.limit) };
}

export function installFakeBackend(options: FakeOptions = {}): FakeBackend {
  const details = new Map((options.details ?? [ANDROID_DEVICE, IOS_DEVICE, IOS_MAM_DEVICE]).map((d) => [d.id, d]));
  const rows = options.rows ?? [...details.values()].map(rowOf);
  let lang: Lang = options.info?.lang ?? "en";
  let auth: AuthStatus = options.auth ?? SIGNED_IN;
  const sessions = new Map((options.sessions ?? []).map((session) => [session.id, session]));
  let settings: SettingsView = options.settings ?? defaultSettings();
  const calls: FakeBackend["calls"] = [];
  const admin: AdminState = { ...defaultAdmin(), ...options.admin };
  let eula: Eula = options.eula ?? EULA;

  const distributed = (app: AppKind): string[] => admin.distributions[app] ?? [];
  const adminStatus = (): AdminStatus => ({
    tier: admin.tier,
    locked: admin.tier !== "platinum",
    activations: (["attended", "unattended"] as const).map(
      (mode) => admin.activations.find((a) => a.mode === mode) ?? makeActivation(mode, false),
    ),
    unattended_licences: { purchased: admin.purchased, consumed: distributed("host").length },
    kiosk_devices_missing_allowlist: [...admin.kioskMissing],
    devices_with_host: [...admin.devicesWithHost],
  });
  const setActivation = (next: Activation) => {
    admin.activations = [...admin.activations.filter((a) => a.mode !== next.mode), next];
  };
  const openSessionOn = (deviceId: string): Session | undefined =>
    [...sessions.values()].find(
      (session) => session.device_id === deviceId && ["requested", "created", "delivered", "waiting", "active"].includes(session.state),
    );

  /** Like `session::preflight` on the Rust side, with English texts. */
  const preflight = ({ deviceId, mode }: PreflightArgs): Preflight => {
    const device = details.get(deviceId);
    if (!device) throw apiError("not_found", `No device ${deviceId}.`, "Check the device ID.");
    const checks: Check[] = [];
    checks.push(
      admin.tier === "platinum"
        ? { rule: "L1", status: "pass", message: "The tenant has the Platinum tier.", fix: null }
        : { rule: "L1", status: "block", message: "Help@Work needs the Platinum tier.", fix: "Upgrade the tenant's licence to Platinum." },
    );
    const active = admin.activations.some((a) => a.mode === mode && a.active);
    checks.push(
      active
        ? { rule: "A1", status: "pass", message: `${mode} mode is activated.`, fix: null }
        : { rule: "A1", status: "block", message: `${mode} mode is not activated.`, fix: "An admin activates it (Admin → Infrastructure → Help@Work)." },
    );
    const eligibility = device.eligibility.find((entry) => entry.mode === mode);
    if (eligibility) {
      const status = eligibility.status === "ready" ? "pass" : eligibility.status === "attention" ? "warn" : "block";
      const reasons = eligibility.reasons.length > 0 ? eligibility.reasons : ["The device is eligible."];
      for (const reason of reasons) checks.push({ rule: "L2", status, message: reason, fix: null });
    }
    checks.push(
      !auth.configured
        ? { rule: "S3", status: "block", message: "TeamViewer is not configured.", fix: "Set the TeamViewer app credentials or a script token (docs/teamviewer.md)." }
        : auth.signed_in
          ? { rule: "S3", status: "pass", message: "A TeamViewer token is held.", fix: null }
          : { rule: "S3", status: "warn", message: "Sign-in to TeamViewer is needed.", fix: "Sign in to TeamViewer: the start continues afterwards." },
    );
    const holder = openSessionOn(deviceId);
    if (holder) {
      checks.push({
        rule: "open_session",
        status: "block",
        message: `${holder.agent} already has session ${holder.code ?? holder.id} open (${holder.state}).`,
        fix: "Ask the holder to close it.",
      });
    }
    return { device_id: deviceId, mode, ok: checks.every((check) => check.status !== "block"), checks };
  };

  /** Like `admin::distribute`: the devices named (each must exist) or all eligible. */
  const distribute = ({ app, devices, all, distribute: add }: DistributeArgs) => {
    const androidOnly = app !== "quicksupport";
    let ids: string[];
    if (all) {
      ids = [...details.values()]
        .filter((d) => d.platform === "android" || (!androidOnly && d.platform === "ios"))
        .map((d) => d.id);
    } else {
      if (devices.length === 0) throw apiError("invalid_input", "Name the devices or use all.", null);
      for (const id of devices) {
        const found = details.get(id);
        if (!found) throw apiError("not_found", `No device ${id}.`, "Check the device ID.");
        if (androidOnly && found.platform !== "android") {
          throw apiError("invalid_input", `${app} is for Android only; ${id} is ${found.platform}.`, null);
        }
      }
      ids = devices;
    }
    const before = distributed(app);
    const after = add ? [...new Set([...before, ...ids])] : before.filter((id) => !ids.includes(id));
    if (add && app === "host" && after.length > admin.purchased) {
      // U3: refused with the numbers, nothing changes.
      throw apiError(
        "conflict",
        `Distributing Host to these devices needs ${after.length} unattended licences; ${admin.purchased} are purchased and ${before.length} are in use (U3). Nothing changed.`,
        "Buy more MI add-on licences or distribute to fewer devices.",
        { purchased: admin.purchased, consumed: before.length, needed: after.length },
      );
    }
    admin.distributions = { ...admin.distributions, [app]: after };
    return { app, devices: ids.length, distributed_to: after.length };
  };

  const keep = (answer: unknown): unknown => {
    if (typeof answer === "object" && answer !== null && "id" in answer && "state" in answer) {
      const session = answer as Session;
      sessions.set(session.id, session);
    }
    return answer;
  };
  const stored = (id: string): Session => {
    const found = sessions.get(id);
    if (!found) throw apiError("not_found", `No session ${id}.`, "Start a new session.");
    return found;
  };
  const asAuth = (answer: unknown): unknown => {
    if (typeof answer === "object" && answer !== null && "signed_in" in answer) auth = answer as AuthStatus;
    return answer;
  };

  const help = helpFlows(options.help ?? {}, { sessions, auth: () => auth, apiError });

  let syncCancelled = false;
  mockIPC((cmd, payload) => {
    calls.push({ cmd, args: payload });
    const args = (payload ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case "app_info": {
        if (options.appInfo) return options.appInfo();
        const info: AppInfo = {
          product: "Help@Work Desk",
          version: "0.1.0",
          demo: true,
          data_dir: "/tmp/helpatwork",
          device_count: rows.length,
          mdm: "Embedded fleet",
          can_sync: false,
          warnings: [],
          ...options.info,
          lang,
        };
        return info;
      }
      case "list_devices": {
        const query = args.query as DeviceQuery;
        if (options.listDevices) return options.listDevices(query);
        return listPage(rows, query);
      }
      case "get_device": {
        const found = details.get(args.id as string);
        if (!found) throw apiError("not_found", `No device ${String(args.id)}.`, "Check the device ID.");
        return found;
      }
      case "set_language":
        lang = args.lang as Lang;
        return null;
      case "auth_status":
        if (options.authStatus) return options.authStatus();
        return auth;
      case "sign_in": {
        if (options.signIn) {
          const answer = options.signIn();
          return answer instanceof Promise ? answer.then(asAuth) : asAuth(answer);
        }
        if (!auth.configured) {
          throw apiError("invalid_input", "TeamViewer sign-in is not configured.", "Set HELPATWORK_TEAMVIEWER_CLIENT_ID.");
        }
        auth = SIGNED_IN;
        return auth;
      }
      case "sign_out":
        if (options.signOut) return asAuth(options.signOut());
        auth = { ...SIGNED_OUT, configured: auth.configured };
        return auth;
      case "start_session": {
        const start = args as unknown as StartArgs;
        if (options.startSession) {
          const answer = options.startSession(start);
          return answer instanceof Promise ? answer.then(keep) : keep(answer);
        }
        // S3: without a valid TeamViewer token the start asks for the sign-in first.
        if (!auth.signed_in) {
          throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
        }
        const ios = details.get(start.deviceId)?.platform === "ios";
        const session = makeSession({
          id: `sess-${sessions.size + 1}`,
          device_id: start.deviceId,
          mode: start.mode,
          reason: start.reason,
          created_at: new Date().toISOString(),
          // S5: iOS session IDs expire after 30 minutes.
          expires_at: new Date(Date.now() + (ios ? IOS_EXPIRY_MS : VALIDITY_MS)).toISOString(),
          valid_until: new Date(Date.now() + VALIDITY_MS).toISOString(),
        });
        return keep(session);
      }
      case "get_session": {
        const id = args.id as string;
        if (options.getSession) return keep(options.getSession(id));
        return stored(id);
      }
      case "open_session": {
        const id = args.id as string;
        if (options.openSession) return options.openSession(id);
        sessions.set(id, { ...stored(id), launched: true });
        return null;
      }
      case "close_session": {
        const id = args.id as string;
        if (options.closeSession) return keep(options.closeSession(id));
        return keep({ ...stored(id), state: "closed" });
      }
      case "preflight": {
        const request = args as unknown as PreflightArgs;
        if (options.preflight) return options.preflight(request);
        return preflight(request);
      }
      case "list_sessions": {
        const openOnly = args.openOnly === true;
        if (options.listSessions) return options.listSessions(openOnly);
        return [...sessions.values()]
          .filter((session) => !openOnly || openSessionOn(session.device_id)?.id === session.id)
          .sort((a, b) => b.created_at.localeCompare(a.created_at));
      }
      case "sync_sessions":
        if (options.syncSessions) return options.syncSessions();
        return { teamviewer: "checked", message: null, changes: [], closes: [], pending_closes: [] };
      case "last_session_sync":
        return options.lastSessionSync ? options.lastSessionSync() : null;
      case "admin_status":
        if (options.adminStatus) return options.adminStatus();
        return adminStatus();
      case "set_tier":
        admin.tier = args.tier as Tier;
        return adminStatus();
      case "set_licences": {
        const purchased = args.unattended as number;
        const consumed = distributed("host").length;
        if (purchased < consumed) {
          throw apiError(
            "conflict",
            `Host is distributed to ${consumed} devices, more than ${purchased} licences (U3).`,
            "Undistribute Host from some devices first.",
          );
        }
        admin.purchased = purchased;
        return adminStatus();
      }
      case "get_eula":
        if (options.getEula) return options.getEula();
        return eula;
      case "activate": {
        const request = args as unknown as { mode: Mode; eulaSha256: string };
        if (options.activate) return options.activate(request);
        if (request.eulaSha256 !== eula.sha256) {
          throw apiError("conflict", "The EULA text changed since it was shown.", "Read the EULA again and agree to the current text.");
        }
        if (!auth.signed_in) {
          throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
        }
        setActivation(
          makeActivation(request.mode, true, {
            account_id: auth.account?.userid ?? null,
            account_name: auth.account?.name ?? null,
            eula_version: eula.version,
            agreed_at: new Date().toISOString(),
          }),
        );
        return adminStatus();
      }
      case "remove_activation": {
        // A3: open sessions are ended; both modes are no longer active.
        for (const session of sessions.values()) {
          if (openSessionOn(session.device_id)?.id === session.id) sessions.set(session.id, { ...session, state: "closed" });
        }
        admin.activations = admin.activations.map((a) => ({ ...a, active: false }));
        return adminStatus();
      }
      case "distribute_app": {
        const request = args as unknown as DistributeArgs;
        if (options.distributeApp) return options.distributeApp(request);
        return distribute(request);
      }
      case "sync_devices": {
        syncCancelled = false;
        const channel = args.onProgress as Channel<SyncProgress>;
        const send = (progress: SyncProgress) => {
          channel.onmessage(progress);
        };
        if (options.syncDevices) return options.syncDevices(send, () => syncCancelled);
        send({ read: 500, total: 1000 });
        send({ read: 1000, total: 1000 });
        const report: SyncReport = {
          connector: "Ivanti Neurons for MDM",
          resumed: false,
          pages: 2,
          devices: 1000,
          inserted: 990,
          updated: 10,
          unchanged: 0,
          removed: 3,
          skipped: 0,
          sessions_ended: 0,
          cancelled: false,
          warnings: [],
          warnings_total: 0,
        };
        return report;
      }
      case "cancel_sync":
        syncCancelled = true;
        return null;
      case "deprovision":
        // A5: Host is undistributed everywhere; devices report it gone only after a check-in.
        admin.distributions = { ...admin.distributions, host: [] };
        return adminStatus();
      case "delete_account": {
        const still = [...new Set([...admin.devicesWithHost, ...distributed("host")])].sort();
        if (still.length > 0) {
          throw apiError(
            "conflict",
            `TeamViewer Host is still on (or distributed to) ${still.length} device(s): ${still.join(", ")}. The account binding stays.`,
            "Deprovision first, wait for every device to report Host removed, then delete again.",
            { devices: still },
          );
        }
        admin.activations = [];
        return adminStatus();
      }
      case "list_audit": {
        const filter = args.filter as AuditFilter;
        if (options.listAudit) return options.listAudit(filter);
        const { total, offset, items } = auditPage(options.audit ?? [], filter);
        return { total, offset, items };
      }
      case "audit_facets": {
        const audit = options.audit ?? [];
        return {
          actors: [...new Set(audit.map((e) => e.actor))].sort(),
          actions: [...new Set(audit.map((e) => e.action))].sort(),
        };
      }
      case "export_audit": {
        const filter = args.filter as AuditFilter;
        if (options.exportAudit) return options.exportAudit(filter);
        return {
          path: "/home/alex/Downloads/helpatwork-audit-20261120-100000.csv",
          rows: auditPage(options.audit ?? [], filter).hits.length,
        };
      }
      case "get_settings":
        return options.getSettings ? options.getSettings() : settings;
      case "set_setting": {
        const change = { key: args.key as string, value: args.value as string };
        if (options.setSetting) return options.setSetting(change);
        const value = change.value.trim();
        settings = {
          ...settings,
          entries: settings.entries.map((e) => {
            if (e.key !== change.key) return e;
            if (e.secret) return { ...e, is_set: value !== "", source: value === "" ? "default" : "keyring" };
            const saved = value === "" ? null : value;
            return {
              ...e,
              saved,
              value: e.overridden ? e.value : saved,
              source: e.overridden ? "env" : saved === null ? "default" : "file",
            };
          }),
        };
        const found = settings.entries.find((e) => e.key === change.key);
        return {
          key: change.key,
          set: value !== "",
          restart: found?.restart ?? true,
          overridden_by: found?.overridden ? found.env : null,
          settings,
        };
      }
      case "test_setting": {
        const target = args.target as TestTarget;
        if (options.testSetting) return options.testSetting(target);
        return { target, message: `${target} works`, notes: [] };
      }
      default: {
        const answer = help.handle(cmd, args);
        if (answer === UNHANDLED) throw apiError("internal", `Unknown command ${cmd}`, null);
        return answer;
      }
    }
  });

  return {
    calls,
    queries: () => calls.filter((c) => c.cmd === "list_devices").map((c) => (c.args as { query: DeviceQuery }).query),
    lang: () => lang,
    auth: () => auth,
    callsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    session: (id) => sessions.get(id),
    admin: () => admin,
    setEula: (next) => {
      eula = next;
    },
    checkIn: () => {
      admin.devicesWithHost = admin.devicesWithHost.filter((id) => distributed("host").includes(id));
    },
    help,
  };
}
