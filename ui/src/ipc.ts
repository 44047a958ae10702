/**
 * The one IPC gateway (style.md item 8): the only module that imports `@tauri-apps/*`.
 *
 * Every back-end command is a typed method here. A rejected `invoke` is normalised into an
 * `IpcError` that carries the back end's `ApiError` (`{code, message, fix, details}`), so views
 * branch on `error.code` and never parse strings. Tests replace the back end with `mockIPC`.
 */
import { invoke } from "@tauri-apps/api/core";
import type { ApiError } from "./bindings/ApiError";
import type { AppInfo } from "./bindings/AppInfo";
import type { Check } from "./bindings/Check";
import type { DeviceDetail } from "./bindings/DeviceDetail";
import type { DevicePage } from "./bindings/DevicePage";
import type { DeviceQuery } from "./bindings/DeviceQuery";
import type { ErrorCode } from "./bindings/ErrorCode";
import type { Lang } from "./bindings/Lang";
import type { Mode } from "./bindings/Mode";

/** Session lifecycle states (design.md "Session lifecycle"). */
export type SessionState =
  | "requested"
  | "created"
  | "delivered"
  | "waiting"
  | "active"
  | "closed"
  | "expired"
  | "lost"
  | "failed";

/**
 * What `start_session` answers: the session JSON of the CLI contract (design.md). Only the fields
 * the window reads are required; the generated `Session` binding, when it exists, is compatible.
 */
export interface StartedSession {
  id: string;
  device_id: string;
  mode: Mode;
  /** One of `SessionState`; kept open so a newer back end's state still shows. */
  state: string;
  code: string;
  expires_at?: string | null;
}

/** One preflight check inside a `blocked` error's `details.checks` (design.md): the domain's `Check`. */
export type PreflightCheck = Check;

/**
 * `api`: the back end answered with an `ApiError`.
 * `unavailable`: there is no Tauri back end (page opened in a plain browser).
 * `unexpected`: the rejection was not an `ApiError` (a bug on one side or the other).
 */
export type IpcErrorKind = "api" | "unavailable" | "unexpected";

const ERROR_CODES: readonly ErrorCode[] = [
  "internal",
  "invalid_input",
  "blocked",
  "sign_in_needed",
  "service_failed",
  "not_found",
  "conflict",
];

export class IpcError extends Error {
  override readonly name = "IpcError";
  readonly command: string;
  readonly kind: IpcErrorKind;
  readonly code: ErrorCode;
  readonly fix: string | null;
  readonly details: unknown;

  constructor(command: string, kind: IpcErrorKind, api: ApiError) {
    super(api.message);
    this.command = command;
    this.kind = kind;
    this.code = api.code;
    this.fix = api.fix;
    this.details = api.details;
  }

  /** The back end's error as it crossed the boundary. */
  get api(): ApiError {
    return { code: this.code, message: this.message, fix: this.fix, details: this.details };
  }

  /** For `code == "blocked"`: the failed preflight checks listed in `details.checks`, if any. */
  get checks(): PreflightCheck[] {
    return parseChecks(this.details);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}

/** Reads an `ApiError` (or the CLI's `{"error": ApiError}` envelope) out of a rejection value. */
export function parseApiError(raw: unknown): ApiError | null {
  const body = isRecord(raw) && isRecord(raw.error) ? raw.error : raw;
  if (!isRecord(body) || typeof body.message !== "string" || typeof body.code !== "string") {
    return null;
  }
  return {
    // An unknown code from a newer back end is still an error the UI can show.
    code: isErrorCode(body.code) ? body.code : "internal",
    message: body.message,
    fix: typeof body.fix === "string" ? body.fix : null,
    details: body.details ?? null,
  };
}

export function parseChecks(details: unknown): PreflightCheck[] {
  if (!isRecord(details) || !Array.isArray(details.checks)) return [];
  const checks: PreflightCheck[] = [];
  for (const item of details.checks as unknown[]) {
    if (!isRecord(item) || typeof item.message !== "string") continue;
    const status = item.status === "pass" || item.status === "warn" ? item.status : "block";
    checks.push({
      rule: typeof item.rule === "string" ? item.rule : "",
      status,
      message: item.message,
      fix: typeof item.fix === "string" ? item.fix : null,
    });
  }
  return checks;
}

export function toIpcError(command: string, raw: unknown): IpcError {
  if (raw instanceof IpcError) return raw;
  const api = parseApiError(raw);
  if (api) return new IpcError(command, "api", api);
  const message = raw instanceof Error ? raw.message : typeof raw === "string" ? raw : describe(raw);
  return new IpcError(command, "unexpected", { code: "internal", message, fix: null, details: null });
}

export const SESSION_STATES: readonly SessionState[] = [
  "requested",
  "created",
  "delivered",
  "waiting",
  "active",
  "closed",
  "expired",
  "lost",
  "failed",
];

export function isSessionState(value: string): value is SessionState {
  return (SESSION_STATES as readonly string[]).includes(value);
}

/** A success answer that is not a session is a contract break: say so instead of showing blanks. */
function asSession(answer: unknown): StartedSession {
  if (isRecord(answer) && typeof answer.code === "string" && typeof answer.state === "string") {
    return answer as unknown as StartedSession;
  }
  throw new IpcError("start_session", "unexpected", {
    code: "internal",
    message: `start_session answered without a session (code and state): ${describe(answer)}`,
    fix: null,
    details: answer ?? null,
  });
}

interface TauriWindow {
  __TAURI_INTERNALS__?: { invoke?: unknown };
}

function describe(value: unknown): string {
  try {
    // JSON.stringify answers undefined (not a string) for these.
    if (value === undefined || typeof value === "function" || typeof value === "symbol") return String(value);
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function tauriAvailable(): boolean {
  if (typeof window === "undefined") return false;
  return typeof (window as TauriWindow).__TAURI_INTERNALS__?.invoke === "function";
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!tauriAvailable()) {
    throw new IpcError(command, "unavailable", {
      code: "internal",
      message: "The Tauri back end is not available.",
      fix: null,
      details: null,
    });
  }
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toIpcError(command, raw);
  }
}

/** The typed client. Command names are snake_case verb_noun (style.md item 9). */
export const ipc = {
  appInfo: (): Promise<AppInfo> => call("app_info"),
  listDevices: (query: DeviceQuery): Promise<DevicePage> => call("list_devices", { query }),
  getDevice: (id: string): Promise<DeviceDetail> => call("get_device", { id }),
  setLanguage: (lang: Lang): Promise<void> => call<unknown>("set_language", { lang }).then(() => undefined),
  /** Tauri maps the camelCase `deviceId` to the Rust parameter `device_id`. */
  startSession: (deviceId: string, mode: Mode, reason: string): Promise<StartedSession> =>
    call<unknown>("start_session", { deviceId, mode, reason }).then(asSession),
} as const;

export type IpcClient = typeof ipc;
