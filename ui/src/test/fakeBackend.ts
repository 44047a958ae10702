/**
 * A fake back end for component tests, installed with `mockIPC`: it answers the same commands
 * with the same shapes as the Rust side (`app_info`, `list_devices`, `get_device`,
 * `set_language`, `start_session`) and records every call.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import type { ApiError } from "../bindings/ApiError";
import type { AppInfo } from "../bindings/AppInfo";
import type { DeviceDetail } from "../bindings/DeviceDetail";
import type { DevicePage } from "../bindings/DevicePage";
import type { DeviceQuery } from "../bindings/DeviceQuery";
import type { DeviceRow } from "../bindings/DeviceRow";
import type { Lang } from "../bindings/Lang";
import type { Mode } from "../bindings/Mode";
import type { Platform } from "../bindings/Platform";
import type { Readiness } from "../bindings/Readiness";
import type { StartedSession } from "../ipc";

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
}

export interface FakeBackend {
  calls: { cmd: string; args: unknown }[];
  queries: () => DeviceQuery[];
  lang: () => Lang;
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
  const calls: FakeBackend["calls"] = [];

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
      case "start_session": {
        const start = args as unknown as StartArgs;
        if (options.startSession) return options.startSession(start);
        const session: StartedSession = {
          id: "sess-1",
          device_id: start.deviceId,
          mode: start.mode,
          state: "delivered",
          code: "s123-456-789",
          expires_at: null,
        };
        return session;
      }
      default:
        throw apiError("internal", `Unknown command ${cmd}`, null);
    }
  });

  return {
    calls,
    queries: () => calls.filter((c) => c.cmd === "list_devices").map((c) => (c.args as { query: DeviceQuery }).query),
    lang: () => lang,
  };
}
