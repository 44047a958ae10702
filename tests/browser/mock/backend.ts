/**
 * The mocked back end for the browser tests: `installMockBackend` runs in the page (through
 * `page.addInitScript`) before the app's own scripts and defines `window.__TAURI_INTERNALS__`
 * the way `@tauri-apps/api/mocks` `mockIPC` does, so `ipc.ts` calls `invoke(cmd, args)` as in the
 * real window. Every answer has the shape of the generated bindings (`ui/src/bindings`); a failure
 * rejects with an `ApiError` (`{code, message, fix, details}`) like the Rust side.
 *
 * The function is serialized into the page: it must not use anything outside its own body
 * (type imports are fine, they are erased). The page keeps the back end's state; tests read and
 * change it through `window.__mock` (see `MockControl`).
 */
import type { Activation } from "../../../ui/src/bindings/Activation";
import type { Agent } from "../../../ui/src/bindings/Agent";
import type { HelpRequest } from "../../../ui/src/bindings/HelpRequest";
import type { AdminStatus } from "../../../ui/src/bindings/AdminStatus";
import type { ApiError } from "../../../ui/src/bindings/ApiError";
import type { AppInfo } from "../../../ui/src/bindings/AppInfo";
import type { AppKind } from "../../../ui/src/bindings/AppKind";
import type { AuditEntry } from "../../../ui/src/bindings/AuditEntry";
import type { AuditExport } from "../../../ui/src/bindings/AuditExport";
import type { AuditFacets } from "../../../ui/src/bindings/AuditFacets";
import type { AuditFilter } from "../../../ui/src/bindings/AuditFilter";
import type { LastSessionSync } from "../../../ui/src/bindings/LastSessionSync";
import type { PendingCloseInfo } from "../../../ui/src/bindings/PendingCloseInfo";
import type { AuditPage } from "../../../ui/src/bindings/AuditPage";
import type { AuthStatus } from "../../../ui/src/bindings/AuthStatus";
import type { Check } from "../../../ui/src/bindings/Check";
import type { DeviceDetail } from "../../../ui/src/bindings/DeviceDetail";
import type { DevicePage } from "../../../ui/src/bindings/DevicePage";
import type { DeviceQuery } from "../../../ui/src/bindings/DeviceQuery";
import type { DeviceRow } from "../../../ui/src/bindings/DeviceRow";
import type { DistributionResult } from "../../../ui/src/bindings/DistributionResult";
import type { Eula } from "../../../ui/src/bindings/Eula";
import type { Lang } from "../../../ui/src/bindings/Lang";
import type { Mode } from "../../../ui/src/bindings/Mode";
import type { Platform } from "../../../ui/src/bindings/Platform";
import type { Preflight } from "../../../ui/src/bindings/Preflight";
import type { Readiness } from "../../../ui/src/bindings/Readiness";
import type { Session } from "../../../ui/src/bindings/Session";
import type { SettingChange } from "../../../ui/src/bindings/SettingChange";
import type { SettingsView } from "../../../ui/src/bindings/SettingsView";
import type { TestTarget } from "../../../ui/src/bindings/TestTarget";
import type { Tier } from "../../../ui/src/bindings/Tier";

/** The admin side as the back end keeps it. */
export interface AdminState {
  tier: Tier | null;
  activations: Activation[];
  purchased: number;
  /** Devices each app is distributed to; Host's count is the licences consumed (U3). */
  distributions: Partial<Record<AppKind, string[]>>;
  devicesWithHost: string[];
  kioskMissing: string[];
}

export interface MockConfig {
  /** `app_info` fields (the language comes from the back end's stored setting). */
  info?: Partial<AppInfo>;
  /** The language stored before the first start (default `en`). */
  lang?: Lang;
  /** Devices with full details (answer `get_device`); their rows lead the list. */
  details: DeviceDetail[];
  /** Extra rows after the detailed devices. */
  rows?: DeviceRow[];
  /** A generated fleet of this many rows after the others (`dev-000000`…), like the sample data. */
  generated?: number;
  auth: AuthStatus;
  sessions?: Session[];
  admin: AdminState;
  eula: Eula;
  /** The audit trail, newest first. */
  audit?: AuditEntry[];
  settings: SettingsView;
  /** Fields of every session `start_session` creates. */
  startOverrides?: Partial<Session>;
  /** The window's last reconciliation with TeamViewer (`last_session_sync`); default none yet. */
  lastSessionSync?: LastSessionSync;
  /** Closes still owed to TeamViewer, answered by `sync_sessions`. */
  pendingCloses?: PendingCloseInfo[];
  /** Commands that reject with this error (until changed with `__mock.fail`). */
  errors?: Record<string, ApiError>;
  /** Commands that answer only when `__mock.release(cmd)` is called. */
  hold?: string[];
  /** Commands that answer after this many milliseconds. */
  delays?: Record<string, number>;
  /** Help requests waiting in the inbox (`list_requests`); default none. */
  requests?: HelpRequest[];
  /** The agents who signed in (`list_agents`); default none. */
  agents?: Agent[];
}

/** What a test can do with the back end from `page.evaluate` (`window.__mock`). */
export interface MockControl {
  calls: { cmd: string; args: Record<string, unknown> }[];
  callsOf(cmd: string): Record<string, unknown>[];
  /** From now on `cmd` rejects with `error` (or answers normally again with `null`). */
  fail(cmd: string, error: ApiError | null): void;
  /** From now on `cmd` waits for `release` (or answers at once again with `false`). */
  hold(cmd: string, on?: boolean): void;
  /** Answers every waiting call of `cmd`. */
  release(cmd: string): void;
  /** Changes a stored session (the next `get_session` answers it). */
  updateSession(id: string, patch: Partial<Session>): void;
  setAuth(auth: AuthStatus): void;
  lang(): Lang;
  clipboard(): string | null;
}

declare global {
  interface Window {
    __mock: MockControl;
    __mockSetupMs?: number;
    __TAURI_INTERNALS__?: unknown;
    __TAURI_EVENT_PLUGIN_INTERNALS__?: unknown;
  }
}

export function installMockBackend(config: MockConfig): void {
  const setupStart = performance.now();
  // The stored language outlives a reload, like the back end's settings file.
  const LANG_KEY = "mock-backend:lang";
  const CLIPBOARD_KEY = "mock-backend:clipboard";

  const platforms: readonly Platform[] = ["android", "ios", "android", "windows", "ios", "other"];
  const readiness: readonly Readiness[] = ["ready", "attention", "blocked", "ready", "unsupported"];
  // The last check-ins of the generated fleet: one a minute over the day before 2026-11-20 10:00 UTC.
  const checkins = Array.from({ length: 1440 }, (_, m) => new Date(Date.UTC(2026, 10, 20, 10, 0, 0) - m * 60_000).toISOString());
  const generatedRow = (i: number): DeviceRow => {
    const platform = platforms[i % platforms.length] ?? "android";
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
      last_checkin: checkins[i % checkins.length] ?? "2026-11-20T10:00:00.000Z",
      readiness: readiness[i % readiness.length] ?? "ready",
    };
  };
  const rowOf = (d: DeviceDetail): DeviceRow => ({
    id: d.id,
    name: d.name,
    user_name: d.user.name,
    user_email: d.user.email,
    platform: d.platform,
    os_version: d.os_version,
    manufacturer: d.manufacturer,
    model: d.model,
    online: d.online,
    last_checkin: d.last_checkin,
    readiness: d.readiness,
  });

  const details = new Map(config.details.map((d) => [d.id, d]));
  const rows: DeviceRow[] = [...config.details.map(rowOf), ...(config.rows ?? [])];
  for (let i = 0; i < (config.generated ?? 0); i++) rows.push(generatedRow(i));

  let auth: AuthStatus = config.auth;
  const sessions = new Map((config.sessions ?? []).map((s) => [s.id, s]));
  const admin: AdminState = JSON.parse(JSON.stringify(config.admin)) as AdminState;
  const eula = config.eula;
  const errors = new Map(Object.entries(config.errors ?? {}));
  const held = new Set(config.hold ?? []);
  const waiting = new Map<string, (() => void)[]>();
  const calls: MockControl["calls"] = [];
  let sessionCount = sessions.size;
  const audit = config.audit ?? [];
  let settings: SettingsView = config.settings;

  const storedLang = (): Lang => {
    const value = window.localStorage.getItem(LANG_KEY);
    return value === "pt-BR" || value === "en" ? value : (config.lang ?? "en");
  };

  const apiError = (code: ApiError["code"], message: string, fix: string | null, details: unknown = null): ApiError => ({
    code,
    message,
    fix,
    details,
  });

  const activation = (mode: Mode): Activation =>
    admin.activations.find((a) => a.mode === mode) ?? {
      mode,
      active: false,
      account_id: null,
      account_name: null,
      eula_version: null,
      agreed_by: null,
      agreed_at: null,
    };
  const distributed = (app: AppKind): string[] => admin.distributions[app] ?? [];
  const adminStatus = (): AdminStatus => ({
    tier: admin.tier,
    locked: admin.tier !== "platinum",
    activations: [activation("attended"), activation("unattended")],
    unattended_licences: { purchased: admin.purchased, consumed: distributed("host").length },
    kiosk_devices_missing_allowlist: [...admin.kioskMissing],
    devices_with_host: [...admin.devicesWithHost],
  });

  const OPEN = ["requested", "created", "delivered", "waiting", "active"];
  const openSessionOn = (deviceId: string): Session | undefined =>
    [...sessions.values()].find((s) => s.device_id === deviceId && OPEN.includes(s.state));

  const matches = (row: DeviceRow, query: DeviceQuery): boolean => {
    if (query.platform !== null) {
      const other = row.platform !== "android" && row.platform !== "ios";
      if (query.platform === "other" ? !other : row.platform !== query.platform) return false;
    }
    if (query.readiness !== null && row.readiness !== query.readiness) return false;
    if (query.search !== null) {
      const needle = query.search.toLowerCase();
      const hay = `${row.name}\n${row.user_name}\n${row.user_email}\n${row.model}\n${row.id}`.toLowerCase();
      if (!hay.includes(needle)) return false;
    }
    return true;
  };
  const listDevices = (query: DeviceQuery): DevicePage => {
    const plain = query.search === null && query.platform === null && query.readiness === null;
    const hits = plain ? rows : rows.filter((row) => matches(row, query));
    return { total: hits.length, offset: query.offset, items: hits.slice(query.offset, query.offset + query.limit) };
  };

  /** Like `session::preflight` on the Rust side (English texts). */
  const preflight = (deviceId: string, mode: Mode): Preflight => {
    const device = details.get(deviceId);
    if (!device) throw apiError("not_found", `No device ${deviceId}.`, "Check the device ID.");
    const checks: Check[] = [];
    checks.push(
      admin.tier === "platinum"
        ? { rule: "L1", status: "pass", message: "The tenant has the Platinum tier.", fix: null }
        : { rule: "L1", status: "block", message: "Help@Work needs the Platinum tier.", fix: "Upgrade the tenant's licence to Platinum." },
    );
    checks.push(
      activation(mode).active
        ? { rule: "A1", status: "pass", message: `The ${mode} mode is activated.`, fix: null }
        : {
            rule: "A1",
            status: "block",
            message: `The ${mode} mode is not activated.`,
            fix: "An admin activates it (Admin → Infrastructure → Help@Work).",
          },
    );
    const eligibility = device.eligibility.find((entry) => entry.mode === mode);
    if (eligibility) {
      const status = eligibility.status === "ready" ? "pass" : eligibility.status === "attention" ? "warn" : "block";
      const reasons = eligibility.reasons.length > 0 ? eligibility.reasons : ["The device is eligible."];
      for (const reason of reasons) {
        checks.push({ rule: "L2", status, message: reason, fix: status === "block" ? "Enrol the device fully in the MDM." : null });
      }
    }
    checks.push(
      !auth.configured
        ? { rule: "S3", status: "block", message: "TeamViewer is not configured.", fix: "Set the TeamViewer app credentials or a script token." }
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
    return { device_id: deviceId, mode, ok: checks.every((c) => c.status !== "block"), checks };
  };

  /** Like audit.rs: exact device, actor and action; since inclusive, until exclusive. */
  const auditHits = (filter: AuditFilter): AuditEntry[] =>
    audit.filter(
      (e) =>
        (filter.device_id === null || e.device_id === filter.device_id) &&
        (filter.actor === null || e.actor === filter.actor) &&
        (filter.action === null || e.action === filter.action) &&
        (filter.since === null || Date.parse(e.at) >= Date.parse(filter.since)) &&
        (filter.until === null || Date.parse(e.at) < Date.parse(filter.until)),
    );

  const storedSession = (id: string): Session => {
    const found = sessions.get(id);
    if (!found) throw apiError("not_found", `No session ${id}.`, "Start a new session.");
    return found;
  };

  const answer = (cmd: string, args: Record<string, unknown>): unknown => {
    switch (cmd) {
      case "app_info": {
        // The MDM connector fields, sent as the back end sends them.
        const connector = { mdm: "Embedded fleet", can_sync: false };
        const info: AppInfo = {
          ...connector,
          product: "Help@Work Desk",
          version: "0.1.0",
          demo: false,
          data_dir: "/home/agent/.local/share/helpatwork",
          device_count: rows.length,
          warnings: [],
          ...config.info,
          lang: storedLang(),
        };
        return info;
      }
      case "set_language":
        window.localStorage.setItem(LANG_KEY, args.lang as string);
        return null;
      case "list_devices":
        return listDevices(args.query as DeviceQuery);
      case "get_device": {
        const found = details.get(args.id as string);
        if (!found) throw apiError("not_found", `No device ${String(args.id)}.`, "Check the device ID.");
        return found;
      }
      case "auth_status":
        return auth;
      case "sign_in":
        if (!auth.configured) {
          throw apiError("invalid_input", "TeamViewer sign-in is not configured.", "Set HELPATWORK_TEAMVIEWER_CLIENT_ID.");
        }
        auth = {
          configured: true,
          signed_in: true,
          method: "oauth",
          account: { userid: "u-1001", name: "Alex Agent", email: "alex@example.com" },
          warnings: [],
        };
        return auth;
      case "sign_out":
        auth = { configured: auth.configured, signed_in: false, method: null, account: null, warnings: [] };
        return auth;
      case "preflight":
        return preflight(args.deviceId as string, args.mode as Mode);
      case "start_session": {
        const deviceId = args.deviceId as string;
        const mode = args.mode as Mode;
        if (!auth.signed_in) {
          throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
        }
        const checks = preflight(deviceId, mode).checks.filter((c) => c.status === "block");
        if (checks.length > 0) {
          throw apiError("blocked", "The session cannot start on this device.", checks[0]?.fix ?? null, { checks });
        }
        sessionCount += 1;
        const now = Date.now();
        const ios = details.get(deviceId)?.platform === "ios";
        const session: Session = {
          id: `sess-${sessionCount}`,
          device_id: deviceId,
          mode,
          state: "delivered",
          code: `s${String(100 + sessionCount)}-456-789`,
          agent: auth.account?.name ?? "",
          reason: args.reason as string,
          created_at: new Date(now).toISOString(),
          expires_at: new Date(now + (ios ? 30 * 60_000 : 24 * 3_600_000)).toISOString(),
          valid_until: new Date(now + 24 * 3_600_000).toISOString(),
          ended_at: null,
          ended_by: null,
          supporter_link: `https://start.teamviewer.com/s${100 + sessionCount}456789`,
          end_customer_link: `https://get.teamviewer.com/s${100 + sessionCount}456789`,
          launched: true,
          delivery: "managed_app_config",
          teamviewer_userid: auth.account?.userid ?? null,
          ...config.startOverrides,
        };
        sessions.set(session.id, session);
        return session;
      }
      case "get_session":
        return storedSession(args.id as string);
      case "open_session": {
        const id = args.id as string;
        sessions.set(id, { ...storedSession(id), launched: true });
        return null;
      }
      case "close_session": {
        const id = args.id as string;
        const closed: Session = { ...storedSession(id), state: "closed" };
        sessions.set(id, closed);
        return closed;
      }
      case "list_sessions": {
        const openOnly = args.openOnly === true;
        return [...sessions.values()]
          .filter((s) => !openOnly || OPEN.includes(s.state))
          .sort((a, b) => b.created_at.localeCompare(a.created_at));
      }
      case "sync_sessions":
        return { teamviewer: "checked", message: null, changes: [], closes: [], pending_closes: config.pendingCloses ?? [] };
      case "last_session_sync":
        return config.lastSessionSync ?? null;
      case "admin_status":
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
        return eula;
      case "activate": {
        if (args.eulaSha256 !== eula.sha256) {
          throw apiError("conflict", "The EULA text changed since it was shown.", "Read the EULA again and agree to the current text.");
        }
        if (!auth.signed_in) {
          throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
        }
        const mode = args.mode as Mode;
        admin.activations = [
          ...admin.activations.filter((a) => a.mode !== mode),
          {
            mode,
            active: true,
            account_id: auth.account?.userid ?? null,
            account_name: auth.account?.name ?? null,
            eula_version: eula.version,
            agreed_by: "maria.admin",
            agreed_at: new Date().toISOString(),
          },
        ];
        return adminStatus();
      }
      case "remove_activation":
        for (const s of sessions.values()) {
          if (OPEN.includes(s.state)) sessions.set(s.id, { ...s, state: "closed" });
        }
        admin.activations = admin.activations.map((a) => ({ ...a, active: false }));
        return adminStatus();
      case "distribute_app": {
        const app = args.app as AppKind;
        const add = args.distribute === true;
        const androidOnly = app !== "quicksupport";
        const ids =
          args.all === true
            ? [...details.values()]
                .filter((d) => d.platform === "android" || (!androidOnly && d.platform === "ios"))
                .map((d) => d.id)
            : (args.devices as string[]);
        if (ids.length === 0) throw apiError("invalid_input", "Name the devices or use all.", null);
        const before = distributed(app);
        const after = add ? [...new Set([...before, ...ids])] : before.filter((id) => !ids.includes(id));
        if (add && app === "host" && after.length > admin.purchased) {
          throw apiError(
            "conflict",
            `Distributing Host to these devices needs ${after.length} unattended licences; ${admin.purchased} are purchased and ${before.length} are in use (U3). Nothing changed.`,
            "Buy more MI add-on licences or distribute to fewer devices.",
            { purchased: admin.purchased, consumed: before.length, needed: after.length },
          );
        }
        admin.distributions = { ...admin.distributions, [app]: after };
        const result: DistributionResult = { app, devices: ids.length, distributed_to: after.length };
        return result;
      }
      case "deprovision":
        admin.distributions = { ...admin.distributions, host: [] };
        return adminStatus();
      case "delete_account": {
        const still = [...new Set([...admin.devicesWithHost, ...distributed("host")])].sort();
        if (still.length > 0) {
          throw apiError(
            "conflict",
            `TeamViewer Host is still on ${still.length} device(s): ${still.join(", ")}. The account binding stays.`,
            "Deprovision first, wait for every device to report Host removed, then delete again.",
            { devices: still },
          );
        }
        admin.activations = [];
        return adminStatus();
      }
      case "list_audit": {
        const filter = args.filter as AuditFilter;
        const hits = auditHits(filter);
        const limit = filter.limit === 0 ? 50 : filter.limit;
        const page: AuditPage = { total: hits.length, offset: filter.offset, items: hits.slice(filter.offset, filter.offset + limit) };
        return page;
      }
      case "audit_facets": {
        const facets: AuditFacets = {
          actors: [...new Set(audit.map((e) => e.actor))].sort(),
          actions: [...new Set(audit.map((e) => e.action))].sort(),
        };
        return facets;
      }
      case "export_audit": {
        const exported: AuditExport = {
          path: "/home/agent/Downloads/helpatwork-audit-20261120-100000.csv",
          rows: auditHits(args.filter as AuditFilter).length,
        };
        return exported;
      }
      case "get_settings":
        return settings;
      case "set_setting": {
        const key = args.key as string;
        const value = (args.value as string).trim();
        const found = settings.entries.find((e) => e.key === key);
        if (!found) throw apiError("invalid_input", `There is no setting ${key}.`, "Check the setting's name.");
        if (found.choices.length > 0 && value !== "" && !found.choices.includes(value)) {
          throw apiError("invalid_input", `${key} is one of ${found.choices.join(", ")}.`, `Choose ${found.choices.join(" or ")}.`);
        }
        settings = {
          ...settings,
          entries: settings.entries.map((e) => {
            if (e.key !== key) return e;
            if (e.secret) return { ...e, is_set: value !== "", source: value === "" ? "default" : "keyring" };
            const saved = value === "" ? null : value;
            return { ...e, saved, value: e.overridden ? e.value : saved, source: e.overridden ? "env" : saved === null ? "default" : "file" };
          }),
        };
        const change: SettingChange = {
          key,
          set: value !== "",
          restart: found.restart,
          overridden_by: found.overridden ? found.env : null,
          settings,
        };
        return change;
      }
      case "test_setting": {
        const target = args.target as TestTarget;
        return { target, message: `The ${target} connection works.`, notes: [] };
      }
      // Help requests, hand-overs and Hosts: the configured inbox and agents, Hosts as last read.
      case "list_requests":
        return { requests: config.requests ?? [], checked_at: new Date().toISOString(), group: "Help@Work" };
      case "take_request":
        throw apiError("not_found", `TeamViewer has no help request ${String(args.code)}.`, "List the requests again.");
      case "list_agents":
        return config.agents ?? [];
      case "hand_over_session":
        throw apiError("not_found", `No agent "${String(args.to)}" has signed in to TeamViewer here.`, "Ask the agent to sign in first.");
      case "host_status": {
        const host = details.get(args.deviceId as string)?.host;
        if (!host) throw apiError("invalid_input", "TeamViewer Host exists for Android only.", "Use attended mode.");
        return host;
      }
      case "confirm_host_match":
        throw apiError("not_found", `The TeamViewer account has no device ${String(args.remotecontrolId)}.`, "Check the id.");
      case "report_first_paint":
        return null;
      case "plugin:event|listen":
        return args.handler;
      case "plugin:event|unlisten":
      case "plugin:event|emit":
        return null;
      default:
        throw apiError("internal", `Unknown command ${cmd}`, null);
    }
  };

  const respond = (cmd: string, args: Record<string, unknown>): unknown => {
    const error = errors.get(cmd);
    if (error) throw error;
    return answer(cmd, args);
  };

  async function invoke(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
    const payload = args ?? {};
    calls.push({ cmd, args: payload });
    if (held.has(cmd)) {
      await new Promise<void>((resolve) => {
        waiting.set(cmd, [...(waiting.get(cmd) ?? []), resolve]);
      });
    }
    const delay = config.delays?.[cmd];
    if (delay !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    // Like the real IPC, the answer crosses as JSON: the page gets objects of its own.
    const answer = respond(cmd, payload);
    return answer === undefined ? null : (JSON.parse(JSON.stringify(answer)) as unknown);
  }

  const callbacks = new Map<number, (data: unknown) => void>();
  let nextCallback = 1;
  window.__TAURI_INTERNALS__ = {
    invoke,
    transformCallback: (callback: (data: unknown) => void, once = false) => {
      const id = nextCallback++;
      callbacks.set(id, (data) => {
        if (once) callbacks.delete(id);
        callback(data);
      });
      return id;
    },
    unregisterCallback: (id: number) => callbacks.delete(id),
    runCallback: (id: number, data: unknown) => callbacks.get(id)?.(data),
    callbacks,
    metadata: { currentWindow: { label: "main" }, currentWebview: { windowLabel: "main", label: "main" } },
    convertFileSrc: (path: string) => path,
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => undefined };

  // The window's clipboard is the system's; record what the app copies.
  try {
    Object.defineProperty(navigator, "clipboard", {
      configurable: true,
      value: {
        writeText: (text: string) => {
          window.localStorage.setItem(CLIPBOARD_KEY, text);
          return Promise.resolve();
        },
        readText: () => Promise.resolve(window.localStorage.getItem(CLIPBOARD_KEY) ?? ""),
      },
    });
  } catch {
    // Keep the browser's clipboard.
  }

  // What the mock itself cost the page (generating the fleet), for the performance figures.
  window.__mockSetupMs = performance.now() - setupStart;

  window.__mock = {
    calls,
    callsOf: (cmd) => calls.filter((c) => c.cmd === cmd).map((c) => c.args),
    fail: (cmd, error) => {
      if (error) errors.set(cmd, error);
      else errors.delete(cmd);
    },
    hold: (cmd, on = true) => {
      if (on) held.add(cmd);
      else held.delete(cmd);
    },
    release: (cmd) => {
      const pending = waiting.get(cmd) ?? [];
      waiting.delete(cmd);
      for (const resolve of pending) resolve();
    },
    updateSession: (id, patch) => {
      sessions.set(id, { ...storedSession(id), ...patch });
    },
    setAuth: (next) => {
      auth = next;
    },
    lang: storedLang,
    clipboard: () => window.localStorage.getItem(CLIPBOARD_KEY),
  };
}
