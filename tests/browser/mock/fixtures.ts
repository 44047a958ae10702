/**
 * The data the browser tests' back end starts from: the UI fake's fixtures
 * (`ui/src/test/fake/fixtures.ts`, the vitest suite's too) and this suite's own scenario: a fourth
 * device whose preflight blocks, a long EULA to read to the end, settings with a value from the
 * environment, an audit trail.
 */
import {
  ANDROID_DEVICE,
  APP_INFO,
  defaultAdmin,
  IOS_DEVICE,
  IOS_MAM_DEVICE,
  makeActivation,
  makeSession,
  settingEntry,
  SIGNED_IN,
  type AdminState,
} from "../../../ui/src/test/fake/fixtures";
import type { Activation } from "../../../ui/src/bindings/Activation";
import type { AuditEntry } from "../../../ui/src/bindings/AuditEntry";
import type { AuditVerification } from "../../../ui/src/bindings/AuditVerification";
import type { DeviceDetail } from "../../../ui/src/bindings/DeviceDetail";
import type { Eula } from "../../../ui/src/bindings/Eula";
import type { Mode } from "../../../ui/src/bindings/Mode";
import type { Session } from "../../../ui/src/bindings/Session";
import type { SettingsView } from "../../../ui/src/bindings/SettingsView";
import type { MockConfig } from "./backend";

export { AGENT, MAM_REASON, NOT_CONFIGURED, SIGNED_IN, SIGNED_OUT } from "../../../ui/src/test/fake/fixtures";

export const ANDROID = ANDROID_DEVICE;
export const IOS = IOS_DEVICE;
export const IOS_MAM = IOS_MAM_DEVICE;

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
  return makeActivation(mode, active);
}

export function platinumAdmin(): AdminState {
  return defaultAdmin();
}

/** A session the back end already holds; `overrides` win. */
export function session(overrides: Partial<Session> = {}): Session {
  return makeSession({ id: "sess-9", reason: "Printer setup", ...overrides });
}

/** The settings of a fresh data folder, one value overridden by the environment. */
export function settings(): SettingsView {
  return {
    file: "/home/agent/.config/helpatwork/settings.json",
    oauth_redirect: "http://127.0.0.1:<any port>/callback",
    warnings: [],
    entries: [
      settingEntry("language", { choices: ["en", "pt-BR"], value: "en", saved: "en", source: "file" }),
      settingEntry("teamviewer.sign_in", { choices: ["oauth", "script_token"] }),
      settingEntry("teamviewer.client_id", { env: "HELPATWORK_TEAMVIEWER_CLIENT_ID", value: "abc-123", saved: "abc-123", source: "file" }),
      settingEntry("teamviewer.client_secret", { env: "HELPATWORK_TEAMVIEWER_CLIENT_SECRET", secret: true, is_set: true, source: "keyring" }),
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
      settingEntry("store.url", {
        env: "HELPATWORK_DATABASE_URL",
        value: "postgres://helpdesk@db.internal/helpatwork",
        source: "env",
        overridden: true,
      }),
      settingEntry("desktop.teamviewer_home", { env: "HELPATWORK_TEAMVIEWER_HOME" }),
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

/** This suite's back end: four devices, signed in, Platinum, an agent's own home and data folder. */
export function baseConfig(overrides: Partial<MockConfig> = {}): MockConfig {
  return {
    details: DEVICES,
    auth: SIGNED_IN,
    admin: platinumAdmin(),
    eula: EULA,
    settings: settings(),
    home: "/home/agent",
    ...overrides,
    info: { ...APP_INFO, demo: false, data_dir: "/home/agent/.local/share/helpatwork", ...overrides.info },
  };
}

/** `verify_audit` when event a-4 was deleted from the database: the chain breaks at a-5. */
export const AUDIT_CHAIN_DELETED: AuditVerification = {
  intact: false,
  verified: 3,
  verified_up_to: { seq: 3, id: "a-3", at: "2026-11-20T10:00:00.000Z", action: "admin.activate", hash: "3a".repeat(32) },
  head_seq: 6,
  broken: {
    kind: "deleted",
    seq: 4,
    event: { seq: 5, id: "a-5", at: "2026-11-20T12:00:00.000Z", action: "session.start", hash: "5a".repeat(32) },
    expected: "position 4",
    found: "position 5",
    description:
      "Events are missing before event a-5 (#5, session.start, 2026-11-20T12:00:00.000Z): the chain expects position 4 there (events were deleted).",
  },
  message:
    "The audit trail was tampered with. Events are missing before event a-5 (#5, session.start, 2026-11-20T12:00:00.000Z): the chain expects position 4 there (events were deleted). Verified up to event a-3 (#3, admin.activate, 2026-11-20T10:00:00.000Z) (3 events).",
  fix: "Keep the database and this report as they are, compare the trail with a backup or an earlier export (docs/audit.md, \"Verifying an export\") to see what changed, and find out who could write to the database.",
};
