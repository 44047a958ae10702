/**
 * The fake back end's data, in the shapes of the generated bindings: the devices, sign-ins,
 * sessions, admin state, settings, audit entries, help requests and Hosts the vitest and
 * Playwright suites start from, and the factories that make more of them.
 */
import type { Activation } from "../../bindings/Activation";
import type { Agent } from "../../bindings/Agent";
import type { AppInfo } from "../../bindings/AppInfo";
import type { AppKind } from "../../bindings/AppKind";
import type { AuditEntry } from "../../bindings/AuditEntry";
import type { AuthStatus } from "../../bindings/AuthStatus";
import type { DeviceDetail } from "../../bindings/DeviceDetail";
import type { DeviceRow } from "../../bindings/DeviceRow";
import type { Eula } from "../../bindings/Eula";
import type { HelpRequest } from "../../bindings/HelpRequest";
import type { HostStatus } from "../../bindings/HostStatus";
import type { Mode } from "../../bindings/Mode";
import type { Platform } from "../../bindings/Platform";
import type { Readiness } from "../../bindings/Readiness";
import type { Session } from "../../bindings/Session";
import type { SettingEntry } from "../../bindings/SettingEntry";
import type { SettingsView } from "../../bindings/SettingsView";
import type { Tier } from "../../bindings/Tier";

const PLATFORMS: readonly Platform[] = ["android", "ios", "android", "windows", "ios", "other"];
const READINESS: readonly Readiness[] = ["ready", "attention", "blocked", "ready", "unsupported"];
/** 2026-11-20 10:00 UTC: the generated fleet's latest check-in. */
const LATEST_CHECKIN_MS = Date.UTC(2026, 10, 20, 10, 0, 0);

/** Row `i` of a generated fleet (`dev-000000`…): platforms and readiness in turn, one check-in a minute. */
export function makeRow(i: number): DeviceRow {
  const platform = PLATFORMS[i % PLATFORMS.length] ?? "android";
  const ios = platform === "ios";
  return {
    id: `dev-${String(i).padStart(6, "0")}`,
    name: `Device ${i}`,
    user_name: `User ${i}`,
    user_email: `user${i}@example.com`,
    platform,
    os_version: ios ? "17.4" : "14",
    manufacturer: ios ? "Apple" : "Samsung",
    model: ios ? "iPhone 15" : "Galaxy S24",
    online: i % 3 !== 0,
    last_checkin: new Date(LATEST_CHECKIN_MS - (i % 1440) * 60_000).toISOString(),
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
    android_enrollment: null,
  },
  labels: ["Warehouse", "Store 12"],
  locale: "pt-BR",
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
  labels: [],
  locale: null,
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
    android_enrollment: null,
  },
  labels: null,
  locale: null,
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
  model: "iPad Air",
  mam_only: true,
  readiness: "unsupported",
  remote_action: { kind: "remote_view", enabled: false, disabled_reason: MAM_REASON },
  eligibility: [
    { mode: "attended", status: "unsupported", reasons: [MAM_REASON] },
    { mode: "unattended", status: "unsupported", reasons: [MAM_REASON] },
  ],
};

/** The list's row of a device. */
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

/** `app_info` before the test's own fields: the labelled demo on the embedded fleet. */
export const APP_INFO: Omit<AppInfo, "lang" | "device_count"> = {
  product: "Help@Work Desk",
  version: "0.1.0",
  demo: true,
  data_dir: "/tmp/helpatwork",
  mdm: "Embedded fleet",
  can_sync: false,
  warnings: [],
};

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

/** The code of the first session the fake starts (`s101-456-789`, then `s102-…`). */
export const SESSION_CODE = "s101-456-789";
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
    code: "s123-456-789",
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
  /** Devices the MDM refuses to distribute to, with its message (e.g. Intune: no Entra ID object). */
  mdmRefuses?: Record<string, string>;
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

/** One setting as `get_settings` lists it; `overrides` win. */
export function settingEntry(key: string, overrides: Partial<SettingEntry> = {}): SettingEntry {
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
      settingEntry("language", { choices: ["en", "pt-BR"] }),
      settingEntry("teamviewer.sign_in", { choices: ["oauth", "script_token"] }),
      settingEntry("teamviewer.client_id", { env: "HELPATWORK_TEAMVIEWER_CLIENT_ID" }),
      settingEntry("teamviewer.client_secret", { env: "HELPATWORK_TEAMVIEWER_CLIENT_SECRET", secret: true }),
      settingEntry("teamviewer.token", { env: "HELPATWORK_TEAMVIEWER_TOKEN", secret: true }),
      settingEntry("mdm.connector", { env: "HELPATWORK_MDM", choices: ["embedded", "ivanti"] }),
      settingEntry("ivanti.url", { env: "HELPATWORK_IVANTI_URL" }),
      settingEntry("ivanti.user", { env: "HELPATWORK_IVANTI_USER" }),
      settingEntry("ivanti.password", { env: "HELPATWORK_IVANTI_PASSWORD", secret: true }),
      settingEntry("ivanti.partition", { env: "HELPATWORK_IVANTI_PARTITION" }),
      settingEntry("ivanti.cps_url", { env: "HELPATWORK_IVANTI_CPS_URL" }),
      settingEntry("ivanti.cps_user", { env: "HELPATWORK_IVANTI_CPS_USER" }),
      settingEntry("ivanti.cps_password", { env: "HELPATWORK_IVANTI_CPS_PASSWORD", secret: true }),
      settingEntry("ivanti.cps_rate", { env: "HELPATWORK_IVANTI_CPS_RATE" }),
      settingEntry("store.url", { env: "HELPATWORK_DATABASE_URL" }),
      settingEntry("desktop.teamviewer_home", { env: "HELPATWORK_TEAMVIEWER_HOME" }),
    ],
  };
}

/** The agents who signed in here: the agent running the window first. */
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
