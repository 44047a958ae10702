/**
 * A fake back end for component tests, installed with `mockIPC`: it answers the same commands
 * with the same shapes as the Rust side (`app_info`, `list_devices`, `get_device`,
 * `set_language`, `auth_status`, `sign_in`, `sign_out`, `start_session`, `get_session`,
 * `open_session`, `close_session`) and records every call. Like the Rust side it keeps the
 * agent's sign-in and the sessions: a start without sign-in answers `sign_in_needed` (S3).
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ApiError } from "../bindings/ApiError";
import type { AppInfo } from "../bindings/AppInfo";
import type { AuthStatus } from "../bindings/AuthStatus";
import type { DeviceDetail } from "../bindings/DeviceDetail";
import type { DevicePage } from "../bindings/DevicePage";
import type { DeviceQuery } from "../bindings/DeviceQuery";
import type { DeviceRow } from "../bindings/DeviceRow";
import type { Lang } from "../bindings/Lang";
import type { Mode } from "../bindings/Mode";
import type { Platform } from "../bindings/Platform";
import type { Readiness } from "../bindings/Readiness";
import type { Session } from "../bindings/Session";

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

export const SIGNED_IN: AuthStatus = { configured: true, signed_in: true, method: "oauth", account: { ...AGENT } };
export const SIGNED_OUT: AuthStatus = { configured: true, signed_in: false, method: null, account: null };
export const NOT_CONFIGURED: AuthStatus = { configured: false, signed_in: false, method: null, account: null };

export const SESSION_CODE = "s123-456-789";
/** S5: on iOS the session ID expires after 30 minutes. */
export const IOS_EXPIRY_MS = 30 * 60_000;

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
    expires_at: null,
    supporter_link: "https://start.teamviewer.com/s123456789",
    end_customer_link: "https://get.teamviewer.com/s123456789",
    launched: true,
    ...overrides,
  };
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
}

export interface FakeBackend {
  calls: { cmd: string; args: unknown }[];
  queries: () => DeviceQuery[];
  lang: () => Lang;
  auth: () => AuthStatus;
  /** The calls of one command, in order. */
  callsOf: (cmd: string) => unknown[];
  session: (id: string) => Session | undefined;
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
  const calls: FakeBackend["calls"] = [];

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
          expires_at: ios ? new Date(Date.now() + IOS_EXPIRY_MS).toISOString() : null,
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
      default:
        throw apiError("internal", `Unknown command ${cmd}`, null);
    }
  });

  return {
    calls,
    queries: () => calls.filter((c) => c.cmd === "list_devices").map((c) => (c.args as { query: DeviceQuery }).query),
    lang: () => lang,
    auth: () => auth,
    callsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    session: (id) => sessions.get(id),
  };
}
