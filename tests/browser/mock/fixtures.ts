/** The data the mocked back end starts from, in the shapes of `ui/src/bindings`. */
import type { Activation } from "../../../ui/src/bindings/Activation";
import type { AuditEntry } from "../../../ui/src/bindings/AuditEntry";
import type { AuthStatus } from "../../../ui/src/bindings/AuthStatus";
import type { DeviceDetail } from "../../../ui/src/bindings/DeviceDetail";
import type { Eula } from "../../../ui/src/bindings/Eula";
import type { Mode } from "../../../ui/src/bindings/Mode";
import type { Session } from "../../../ui/src/bindings/Session";
import type { SettingEntry } from "../../../ui/src/bindings/SettingEntry";
import type { SettingsView } from "../../../ui/src/bindings/SettingsView";
import type { AdminState, MockConfig } from "./backend";

export const AGENT = { userid: "u-1001", name: "Alex Agent", email: "alex@example.com" };

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

export const ANDROID: DeviceDetail = {
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

export const IOS: DeviceDetail = {
  ...ANDROID,
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

export const MAM_REASON = "iOS devices enrolled MAM-only are not supported (L2).";

export const IOS_MAM: DeviceDetail = {
  ...IOS,
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

export const BLOCKED_REASON = "QuickSupport 15.20 is older than the 15.40 Help@Work needs (S10).";

/** An Android device whose preflight blocks (an app too old for Help@Work). */
export const ANDROID_OLD_APP: DeviceDetail = {
  ...ANDROID,
  id: "and-002",
  name: "Diego's Pixel",
  user: { name: "Diego Alves", email: "diego@example.com" },
  manufacturer: "Google",
  model: "Pixel 8",
  online: false,
  apps: [{ app: "quicksupport", version: "15.20.0", managed: true, allowlisted: true }],
  readiness: "blocked",
  eligibility: [
    { mode: "attended", status: "blocked", reasons: [BLOCKED_REASON] },
    { mode: "unattended", status: "blocked", reasons: ["TeamViewer Host is not installed (U2)."] },
  ],
};

export const DEVICES: DeviceDetail[] = [ANDROID, IOS, IOS_MAM, ANDROID_OLD_APP];

export const EULA: Eula = {
  source: "bundled notice",
  version: "3f2a9c0d1e4b5a6c",
  sha256: "3f2a9c0d1e4b5a6c7d8e9f00112233445566778899aabbccddeeff0011223344",
  text: [
    "TeamViewer End User License Agreement (EULA)",
    "",
    ...Array.from(
      { length: 40 },
      (_, i) => `${i + 1}. Use of TeamViewer is governed by TeamViewer's End User License Agreement, section ${i + 1}.`,
    ),
    "",
    'By choosing "I agree" you accept it on behalf of your organisation.',
  ].join("\n"),
};

export function activation(mode: Mode, active: boolean): Activation {
  return active
    ? {
        mode,
        active,
        account_id: "tv-42",
        account_name: "Contoso Helpdesk",
        eula_version: EULA.version,
        agreed_by: "maria.admin",
        agreed_at: "2026-11-20T09:30:00Z",
      }
    : { mode, active, account_id: null, account_name: null, eula_version: null, agreed_by: null, agreed_at: null };
}

export function platinumAdmin(): AdminState {
  return {
    tier: "platinum",
    activations: [activation("attended", true), activation("unattended", true)],
    purchased: 2,
    distributions: { host: ["and-001"], quicksupport: ["and-001", "ios-001"] },
    devicesWithHost: ["and-001"],
    kioskMissing: [],
  };
}

export function session(overrides: Partial<Session> = {}): Session {
  return {
    id: "sess-9",
    device_id: "and-001",
    mode: "attended",
    state: "delivered",
    code: "s123-456-789",
    agent: AGENT.name,
    reason: "Printer setup",
    created_at: "2026-11-20T12:00:00Z",
    expires_at: null,
    valid_until: null,
    ended_at: null,
    ended_by: null,
    supporter_link: "https://start.teamviewer.com/s123456789",
    end_customer_link: "https://get.teamviewer.com/s123456789",
    launched: true,
    delivery: "managed_app_config",
    teamviewer_userid: null,
    ...overrides,
  };
}

function setting(key: string, overrides: Partial<SettingEntry> = {}): SettingEntry {
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

/** The settings of a fresh data folder, one value overridden by the environment. */
export function settings(): SettingsView {
  return {
    file: "/home/agent/.config/helpatwork/settings.json",
    oauth_redirect: "http://127.0.0.1:<any port>/callback",
    warnings: [],
    entries: [
      setting("language", { choices: ["en", "pt-BR"], value: "en", saved: "en", source: "file" }),
      setting("teamviewer.sign_in", { choices: ["oauth", "script_token"] }),
      setting("teamviewer.client_id", { env: "HELPATWORK_TEAMVIEWER_CLIENT_ID", value: "abc-123", saved: "abc-123", source: "file" }),
      setting("teamviewer.client_secret", { env: "HELPATWORK_TEAMVIEWER_CLIENT_SECRET", secret: true, is_set: true, source: "keyring" }),
      setting("teamviewer.token", { env: "HELPATWORK_TEAMVIEWER_TOKEN", secret: true }),
      setting("mdm.connector", { env: "HELPATWORK_MDM", choices: ["embedded", "ivanti"] }),
      setting("ivanti.url", { env: "HELPATWORK_IVANTI_URL" }),
      setting("ivanti.user", { env: "HELPATWORK_IVANTI_USER" }),
      setting("ivanti.password", { env: "HELPATWORK_IVANTI_PASSWORD", secret: true }),
      setting("ivanti.partition", { env: "HELPATWORK_IVANTI_PARTITION" }),
      setting("ivanti.cps_url", { env: "HELPATWORK_IVANTI_CPS_URL" }),
      setting("ivanti.cps_user", { env: "HELPATWORK_IVANTI_CPS_USER" }),
      setting("ivanti.cps_password", { env: "HELPATWORK_IVANTI_CPS_PASSWORD", secret: true }),
      setting("ivanti.cps_rate", { env: "HELPATWORK_IVANTI_CPS_RATE" }),
      setting("store.url", {
        env: "HELPATWORK_DATABASE_URL",
        value: "postgres://helpdesk@db.internal/helpatwork",
        source: "env",
        overridden: true,
      }),
      setting("desktop.teamviewer_home", { env: "HELPATWORK_TEAMVIEWER_HOME" }),
    ],
  };
}

export const AUDIT: AuditEntry[] = [
  ["a-6", "2026-11-20T12:05:00.000Z", "alex", "session.close", "and-001", "sess-1", { state: "closed" }],
  ["a-5", "2026-11-20T12:00:00.000Z", "alex", "session.start", "and-001", "sess-1", { mode: "attended", reason: "Ticket 4711" }],
  ["a-4", "2026-11-20T11:00:00.000Z", "maria.admin", "admin.distribute", null, null, { app: "host", before: 0, after: 1 }],
  ["a-3", "2026-11-20T10:00:00.000Z", "maria.admin", "admin.activate", null, null, { mode: "attended", eula: EULA.version }],
  ["a-2", "2026-11-20T09:30:00.000Z", "bia", "session.start", "ios-001", "sess-0", { mode: "attended" }],
  ["a-1", "2026-11-20T09:00:00.000Z", "maria.admin", "admin.tier", null, null, { tier: "platinum" }],
].map(([id, at, actor, action, device_id, session_id, detail]) => ({
  id: id as string,
  at: at as string,
  actor: actor as string,
  // The agents signed in to TeamViewer; "bia" ran the app without a sign-in.
  actor_verified: actor !== "bia",
  actor_account_id: actor === "bia" ? null : `u-${String(actor).length}00`,
  actor_account_name: actor === "bia" ? null : String(actor),
  action: action as string,
  device_id: device_id as string | null,
  session_id: session_id as string | null,
  detail,
}));

export function baseConfig(overrides: Partial<MockConfig> = {}): MockConfig {
  return {
    details: DEVICES,
    auth: SIGNED_IN,
    admin: platinumAdmin(),
    eula: EULA,
    settings: settings(),
    ...overrides,
  };
}
