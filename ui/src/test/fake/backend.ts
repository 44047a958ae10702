/**
 * The UI's one fake back end: it answers every command of the generated command map with the
 * Rust side's shapes and keeps state like it (sign-in, sessions, admin, audit, settings, inbox),
 * imitating its rules (`rules.ts`, `helpFlows.ts`). The vitest suite installs it with `mockIPC`
 * (`../fakeBackend.ts`); the Playwright suite bundles it into the page
 * (`tests/browser/mock/page.ts`), where it stands behind `window.__TAURI_INTERNALS__`.
 *
 * A test sets it up with a `FakeConfig` (plain data), can make a command reject (`fail`), hold
 * its answer (`hold` / `release`), answer late (`delays`), or (vitest) answer it itself
 * (`answers`), and reads what was called (`calls`, `callsOf`) and what changed.
 */
import type { ApiError } from "../../bindings/ApiError";
import type { AuditVerification } from "../../bindings/AuditVerification";
import type { AuthStatus } from "../../bindings/AuthStatus";
import { COMMAND_NAMES, type CommandName } from "../../bindings/commands";
import type { DeviceQuery } from "../../bindings/DeviceQuery";
import type { Eula } from "../../bindings/Eula";
import type { HelpRequest } from "../../bindings/HelpRequest";
import type { Lang } from "../../bindings/Lang";
import type { Session } from "../../bindings/Session";
import type { AdminState } from "./fixtures";
import { commandHandlers, type CommandAnswer, type CommandArgs } from "./handlers";
import { apiError, initialState, type FakeConfig } from "./state";

export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

/** A test's own answer to a command; it may read and change the fake. */
export type Answer<K extends CommandName> = (args: CommandArgs<K>, fake: FakeBackend) => CommandAnswer<K> | Promise<CommandAnswer<K>>;
export type Answers = { [K in CommandName]?: Answer<K> };

export interface FakeOptions {
  /** Where the language is kept (a page keeps it across reloads); default: in memory. */
  langStore?: { get: () => Lang | null; set: (lang: Lang) => void };
  /** Commands the test answers itself (functions: the vitest suite only). */
  answers?: Answers;
}

export interface FakeBackend {
  /** Answers one call as the Tauri back end would: the answer, or a rejection with an `ApiError`. */
  invoke: (cmd: string, args?: unknown) => Promise<unknown>;
  calls: Call[];
  /** The arguments of each call of `cmd`, in order. */
  callsOf: <K extends CommandName>(cmd: K) => CommandArgs<K>[];
  /** The device list's queries, in order. */
  queries: () => DeviceQuery[];
  lang: () => Lang;
  auth: () => AuthStatus;
  setAuth: (auth: AuthStatus) => void;
  session: (id: string) => Session | undefined;
  /** Changes a stored session (the next `get_session` answers it). */
  updateSession: (id: string, patch: Partial<Session>) => void;
  /** The admin state now (tier, activations, licences, distributions). */
  admin: () => AdminState;
  /** Changes the EULA the back end answers (A2: a text changed after it was shown). */
  setEula: (eula: Eula) => void;
  /** Devices report Host gone after a check-in (A5). */
  checkIn: () => void;
  /** A device user asks for help now (the inbox sees it at its next read). */
  addRequest: (request: HelpRequest) => void;
  requests: () => HelpRequest[];
  /** Whether `cancel_sync` came since the last `sync_devices`. */
  syncCancelled: () => boolean;
  /** What `verify_audit` answers from now on (`null`: the trail intact). */
  setAuditChain: (chain: AuditVerification | null) => void;
  /** From now on `cmd` rejects with `error` (or answers normally again with `null`). */
  fail: (cmd: CommandName, error: ApiError | null) => void;
  /** From now on `cmd` waits for `release` (or answers at once again with `false`). */
  hold: (cmd: CommandName, on?: boolean) => void;
  /** Answers every waiting call of `cmd`. */
  release: (cmd: CommandName) => void;
}

function isCommand(cmd: string): cmd is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(cmd);
}

function isSession(value: unknown): value is Session {
  return typeof value === "object" && value !== null && "id" in value && "state" in value;
}

export function createFakeBackend(config: FakeConfig = {}, options: FakeOptions = {}): FakeBackend {
  const state = initialState(config);
  const calls: Call[] = [];
  const errors = new Map<string, ApiError>(Object.entries(config.errors ?? {}));
  const held = new Set<string>(config.hold ?? []);
  const waiting = new Map<string, (() => void)[]>();
  let memoryLang: Lang = config.lang ?? config.info?.lang ?? "en";
  const lang = () => options.langStore?.get() ?? memoryLang;
  const setLang = (next: Lang) => {
    memoryLang = next;
    options.langStore?.set(next);
  };
  const handlers = commandHandlers(state, { lang, setLang });

  /** What an answer changes, whoever gave it: a session is stored, a sign-in becomes current. */
  const settle = (cmd: CommandName, answer: unknown) => {
    if ((cmd === "start_session" || cmd === "get_session" || cmd === "close_session") && isSession(answer)) {
      state.sessions.set(answer.id, answer);
    }
    if ((cmd === "sign_in" || cmd === "sign_out") && typeof answer === "object" && answer !== null && "signed_in" in answer) {
      state.auth = answer as AuthStatus;
    }
  };

  const fake: FakeBackend = {
    invoke: async (cmd, rawArgs) => {
      const args = (rawArgs ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args });
      if (held.has(cmd)) {
        await new Promise<void>((resolve) => {
          waiting.set(cmd, [...(waiting.get(cmd) ?? []), resolve]);
        });
      }
      const delay = isCommand(cmd) ? config.delays?.[cmd] : undefined;
      if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
      const error = errors.get(cmd);
      if (error) throw error;
      if (!isCommand(cmd)) throw apiError("internal", `Unknown command ${cmd}`, null);
      if (cmd === "sync_devices") state.syncCancelled = false;
      // The map's members are typed per command; here the command is only known at run time.
      const own = options.answers?.[cmd] as ((args: unknown, fake: FakeBackend) => unknown) | undefined;
      const handler = handlers[cmd] as (args: unknown) => unknown;
      const answer: unknown = await (own ? own(args, fake) : handler(args));
      settle(cmd, answer);
      return answer;
    },
    calls,
    callsOf: <K extends CommandName>(cmd: K) => calls.filter((c) => c.cmd === cmd).map((c) => c.args as CommandArgs<K>),
    queries: () => fake.callsOf("list_devices").map((args) => args.query),
    lang,
    auth: () => state.auth,
    setAuth: (auth) => {
      state.auth = auth;
    },
    session: (id) => state.sessions.get(id),
    updateSession: (id, patch) => {
      const found = state.sessions.get(id);
      if (!found) throw new Error(`no session ${id}`);
      state.sessions.set(id, { ...found, ...patch });
    },
    admin: () => state.admin,
    setEula: (eula) => {
      state.eula = eula;
    },
    checkIn: () => {
      const host = state.admin.distributions.host ?? [];
      state.admin.devicesWithHost = state.admin.devicesWithHost.filter((id) => host.includes(id));
    },
    addRequest: (request) => {
      state.requests = [...state.requests, request];
    },
    requests: () => [...state.requests],
    setAuditChain: (chain) => {
      state.auditChain = chain;
    },
    syncCancelled: () => state.syncCancelled,
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
  };
  return fake;
}
