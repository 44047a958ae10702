import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, expectTypeOf, test } from "vitest";
import type { AdminStatus } from "./bindings/AdminStatus";
import type { LastSessionSync } from "./bindings/LastSessionSync";
import type { Mode } from "./bindings/Mode";
import type { Preflight } from "./bindings/Preflight";
import type { Session } from "./bindings/Session";
import type { SyncReport } from "./bindings/SyncReport";
import type { TakenRequest } from "./bindings/TakenRequest";
import { IpcError, ipc, parseApiError, toIpcError, type CommandAnswer, type CommandArgs } from "./ipc";

describe("ipc client", () => {
  test("calls the snake_case commands with the documented argument names", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "list_devices") return { total: 0, offset: 0, items: [] };
      if (cmd === "start_session" || cmd === "get_session" || cmd === "close_session") {
        return { id: "s", device_id: "and-001", mode: "attended", state: "created", code: "s1" };
      }
      if (cmd === "auth_status" || cmd === "sign_in" || cmd === "sign_out") {
        return { configured: true, signed_in: cmd === "sign_in", method: null, account: null };
      }
      return null;
    });
    const query = { search: "ana", platform: null, readiness: null, offset: 0, limit: 200 };
    await ipc.appInfo();
    await ipc.listDevices(query);
    await ipc.getDevice("and-001");
    await ipc.setLanguage("pt-BR");
    await ipc.startSession("and-001", "attended", "ticket 42");
    await ipc.authStatus();
    await ipc.signIn();
    await ipc.signOut();
    await ipc.getSession("s");
    await ipc.openSession("s");
    await ipc.closeSession("s");
    expect(calls).toEqual([
      { cmd: "app_info", args: {} },
      { cmd: "list_devices", args: { query } },
      { cmd: "get_device", args: { id: "and-001" } },
      { cmd: "set_language", args: { lang: "pt-BR" } },
      // Tauri maps camelCase `deviceId` to the Rust parameter `device_id`.
      { cmd: "start_session", args: { deviceId: "and-001", mode: "attended", reason: "ticket 42", ticket: null } },
      { cmd: "auth_status", args: {} },
      { cmd: "sign_in", args: {} },
      { cmd: "sign_out", args: {} },
      { cmd: "get_session", args: { id: "s" } },
      { cmd: "open_session", args: { id: "s" } },
      { cmd: "close_session", args: { id: "s" } },
    ]);
  });

  test("a rejected invoke becomes an IpcError carrying the ApiError", async () => {
    const details = { kind: "checks", checks: [{ rule: "S10", status: "block", message: "QuickSupport missing", fix: "Distribute it" }] };
    mockIPC(() => {
      throw { code: "blocked", message: "Preflight failed", fix: "See the checks", details };
    });
    const error = await ipc.startSession("ios-001", "attended", "").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    const ipcError = error as IpcError;
    expect(ipcError.kind).toBe("api");
    expect(ipcError.command).toBe("start_session");
    expect(ipcError.api).toEqual({ code: "blocked", message: "Preflight failed", fix: "See the checks", details });
    expect(ipcError.checks).toEqual([
      { rule: "S10", status: "block", message: "QuickSupport missing", fix: "Distribute it" },
    ]);
  });

  test("the CLI's {error: ApiError} envelope and unknown codes are understood", () => {
    expect(parseApiError({ error: { code: "not_found", message: "No device", fix: null } })).toEqual({
      code: "not_found",
      message: "No device",
      fix: null,
      details: null,
    });
    expect(parseApiError({ code: "brand_new", message: "x" })?.code).toBe("internal");
    expect(parseApiError("plain text")).toBeNull();
  });

  test("a rejection that is not an ApiError is an unexpected internal error", () => {
    const fromString = toIpcError("get_device", "command get_device not found");
    expect(fromString.kind).toBe("unexpected");
    expect(fromString.code).toBe("internal");
    expect(fromString.message).toBe("command get_device not found");
    expect(toIpcError("x", new TypeError("boom")).message).toBe("boom");
  });

  test("a link that is not https on a TeamViewer link host is never offered", async () => {
    // Hardening finding 2: the back end fails such a start; the window never shows one either.
    const session = (supporter: string, customer: string) => ({
      id: "s",
      device_id: "and-001",
      mode: "attended",
      state: "waiting",
      supporter_link: supporter,
      end_customer_link: customer,
    });
    for (const bad of [
      "https://evil.example/v15/123",
      "http://get.teamviewer.com/v15/123",
      "https://user:pw@get.teamviewer.com/v15/123",
      "https://get.teamviewer.com.evil.example/v15/123",
      "https://get.teamviewer.com:8443/v15/123",
      "javascript:alert(1)",
    ]) {
      mockIPC(() => session(bad, bad));
      const shown = await ipc.getSession("s");
      expect(shown.supporter_link).toBeNull();
      expect(shown.end_customer_link).toBeNull();
    }
    mockIPC(() => session("https://get.teamviewer.com/v15/123-abc", "https://get.teamviewer.com/v15/123"));
    const ok = await ipc.getSession("s");
    expect(ok.supporter_link).toBe("https://get.teamviewer.com/v15/123-abc");
    expect(ok.end_customer_link).toBe("https://get.teamviewer.com/v15/123");
  });

  test("the links of every answer that holds a session are guarded, and a taken request's own link", async () => {
    const evil = "https://get.teamviewer.com.evil.example/v15/123";
    const session = { id: "s", device_id: "and-001", mode: "attended", state: "waiting", supporter_link: evil, end_customer_link: evil };
    mockIPC((cmd) => {
      if (cmd === "list_sessions") return [session];
      if (cmd === "take_request") return { code: "s1", device_id: "and-001", unknown_device: false, session, supporter_link: evil, launched: false };
      if (cmd === "hand_over_session") return { session, from_agent: "alex", to: { agent: "bea" }, reason: "tier 2", at: "2026-11-20T12:00:00Z" };
      if (cmd === "close_session" || cmd === "start_session") return session;
      throw { code: "conflict", message: "Busy", fix: null, details: { kind: "session_held", session } };
    });
    const offered = (s: Session | null) => [s?.supporter_link, s?.end_customer_link];
    expect((await ipc.listSessions(false)).map(offered)).toEqual([[null, null]]);
    expect(offered(await ipc.startSession("and-001", "attended", ""))).toEqual([null, null]);
    expect(offered(await ipc.closeSession("s"))).toEqual([null, null]);
    const taken = await ipc.takeRequest("s1");
    expect(taken.supporter_link).toBeNull();
    expect(offered(taken.session)).toEqual([null, null]);
    expect(offered((await ipc.handOverSession("s", "bea", "tier 2")).session)).toEqual([null, null]);
    const conflict = (await ipc.getSession("s").catch((e: unknown) => e)) as IpcError;
    expect(offered(conflict.holder)).toEqual([null, null]);
  });

  test("every method is typed by the generated command map", () => {
    // Checked by the type check (`npm run typecheck`): the arguments and answers are the Rust
    // command list's, as src-tauri/src/contract/typescript.rs writes them.
    expectTypeOf<CommandArgs<"start_session">>().toEqualTypeOf<{ deviceId: string; mode: Mode; reason: string; ticket: string | null }>();
    expectTypeOf<CommandArgs<"app_info">>().toEqualTypeOf<Record<string, never>>();
    expectTypeOf<CommandAnswer<"list_sessions">>().toEqualTypeOf<Session[]>();
    expectTypeOf<CommandAnswer<"last_session_sync">>().toEqualTypeOf<LastSessionSync | null>();
    expectTypeOf<CommandAnswer<"cancel_sync">>().toEqualTypeOf<null>();
    expectTypeOf(ipc.preflight).returns.resolves.toEqualTypeOf<Preflight>();
    expectTypeOf(ipc.getSession).returns.resolves.toEqualTypeOf<Session>();
    expectTypeOf(ipc.takeRequest).returns.resolves.toEqualTypeOf<TakenRequest>();
    expectTypeOf(ipc.activate).returns.resolves.toEqualTypeOf<AdminStatus>();
    expectTypeOf(ipc.syncDevices).returns.resolves.toEqualTypeOf<SyncReport>();
    expectTypeOf(ipc.lastSessionSync).returns.resolves.toEqualTypeOf<LastSessionSync | null>();
  });

  test("a conflict carries the session holding the device (details of kind session_held)", async () => {
    const holder = { id: "h", device_id: "and-001", mode: "attended", state: "active", code: "s9", agent: "Bea" };
    mockIPC(() => {
      throw { code: "conflict", message: "Busy", fix: null, details: { kind: "session_held", session: holder } };
    });
    const error = (await ipc.startSession("and-001", "attended", "").catch((e: unknown) => e)) as IpcError;
    expect(error.code).toBe("conflict");
    expect(error.holder).toMatchObject({ id: "h", agent: "Bea", code: "s9", state: "active" });
    expect(toIpcError("x", { code: "conflict", message: "Busy", details: null }).holder).toBeNull();
    // Details without their kind are not the back end's: the error carries none.
    expect(toIpcError("x", { code: "conflict", message: "Busy", details: { session: holder } }).details).toBeNull();
  });

  test("the preflight, sessions and admin commands send camelCase arguments", async () => {
    const status = {
      tier: "platinum",
      locked: false,
      activations: [],
      unattended_licences: { purchased: 3, consumed: 1 },
      kiosk_devices_missing_allowlist: [],
      devices_with_host: [],
    };
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "preflight") return { device_id: "and-001", mode: "unattended", ok: true, checks: [] };
      if (cmd === "list_sessions") return [];
      if (cmd === "get_eula") return { source: "bundled notice", version: "abc", sha256: "abcdef", text: "EULA" };
      if (cmd === "distribute_app") return { app: "host", devices: 1, distributed_to: 2, failed: [] };
      return status;
    });
    await ipc.preflight("and-001", "unattended");
    await ipc.listSessions(true);
    await ipc.adminStatus();
    await ipc.setTier("gold");
    await ipc.setLicences(5);
    await ipc.getEula();
    await ipc.activate("attended", "abcdef");
    await ipc.removeActivation();
    await ipc.distributeApp("host", ["and-001"], false, true);
    await ipc.deprovision();
    await ipc.deleteAccount();
    expect(calls).toEqual([
      // Tauri maps camelCase `deviceId`, `openOnly`, `eulaSha256` to the Rust snake_case parameters.
      { cmd: "preflight", args: { deviceId: "and-001", mode: "unattended", ticket: null } },
      { cmd: "list_sessions", args: { openOnly: true } },
      { cmd: "admin_status", args: {} },
      { cmd: "set_tier", args: { tier: "gold" } },
      { cmd: "set_licences", args: { unattended: 5 } },
      { cmd: "get_eula", args: {} },
      { cmd: "activate", args: { mode: "attended", eulaSha256: "abcdef" } },
      { cmd: "remove_activation", args: {} },
      { cmd: "distribute_app", args: { app: "host", devices: ["and-001"], all: false, distribute: true } },
      { cmd: "deprovision", args: {} },
      { cmd: "delete_account", args: {} },
    ]);
  });

  test("U3 and A5 refusals carry their numbers and devices", () => {
    const overLicence = toIpcError("distribute_app", {
      code: "conflict",
      message: "Needs 5",
      details: { kind: "licences", purchased: 3, consumed: 2, needed: 5 },
    });
    expect(overLicence.licenceNumbers).toEqual({ purchased: 3, consumed: 2, needed: 5 });
    expect(toIpcError("x", { code: "conflict", message: "m", details: { purchased: 3 } }).licenceNumbers).toBeNull();
    const refused = toIpcError("delete_account", {
      code: "conflict",
      message: "Host on 2",
      details: { kind: "host_devices", devices: ["and-001", "and-002"] },
    });
    expect(refused.deviceIds).toEqual(["and-001", "and-002"]);
    expect(overLicence.deviceIds).toEqual([]);
  });

  test("without a Tauri back end every call fails as unavailable", async () => {
    // No mockIPC here: clearMocks() ran after the previous test.
    const error = await ipc.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).kind).toBe("unavailable");
  });
});
