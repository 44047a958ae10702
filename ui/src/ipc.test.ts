import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, test } from "vitest";
import { IpcError, ipc, parseApiError, toIpcError } from "./ipc";

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
      { cmd: "start_session", args: { deviceId: "and-001", mode: "attended", reason: "ticket 42" } },
      { cmd: "auth_status", args: {} },
      { cmd: "sign_in", args: {} },
      { cmd: "sign_out", args: {} },
      { cmd: "get_session", args: { id: "s" } },
      { cmd: "open_session", args: { id: "s" } },
      { cmd: "close_session", args: { id: "s" } },
    ]);
  });

  test("a rejected invoke becomes an IpcError carrying the ApiError", async () => {
    const details = { checks: [{ rule: "S10", status: "block", message: "QuickSupport missing", fix: "Distribute it" }] };
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

  test("a session answer missing optional fields gets their empty values", async () => {
    mockIPC(() => ({ id: "s", device_id: "ios-001", mode: "attended", state: "waiting", code: "s1" }));
    expect(await ipc.getSession("s")).toEqual({
      id: "s",
      device_id: "ios-001",
      mode: "attended",
      state: "waiting",
      code: "s1",
      agent: "",
      reason: "",
      created_at: "",
      expires_at: null,
      supporter_link: null,
      end_customer_link: null,
      launched: false,
    });
  });

  test("a conflict carries the session holding the device (details.session)", async () => {
    const holder = { id: "h", device_id: "and-001", mode: "attended", state: "active", code: "s9", agent: "Bea" };
    mockIPC(() => {
      throw { code: "conflict", message: "Busy", fix: null, details: { session: holder } };
    });
    const error = (await ipc.startSession("and-001", "attended", "").catch((e: unknown) => e)) as IpcError;
    expect(error.code).toBe("conflict");
    expect(error.holder).toMatchObject({ id: "h", agent: "Bea", code: "s9", state: "active" });
    expect(toIpcError("x", { code: "conflict", message: "Busy", details: null }).holder).toBeNull();
  });

  test("an auth answer without signed_in is reported", async () => {
    mockIPC(() => null);
    const error = await ipc.authStatus().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).message).toMatch(/auth_status answered without an account status/);
  });

  test("a start_session success that is not a session is reported, not shown blank", async () => {
    mockIPC(() => ({ device_id: "and-001", mode: "attended", ok: true, checks: [] }));
    const error = await ipc.startSession("and-001", "attended", "").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).kind).toBe("unexpected");
    expect((error as IpcError).message).toMatch(/without a session/);
  });

  test("without a Tauri back end every call fails as unavailable", async () => {
    // No mockIPC here: clearMocks() ran after the previous test.
    const error = await ipc.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).kind).toBe("unavailable");
  });
});
