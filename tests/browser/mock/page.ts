/**
 * The page side of the browser tests' back end. Bundled by `global-setup.ts` and run in the page
 * before the app's own scripts (`openApp`, `page.addInitScript`), it installs the UI's one fake
 * back end (`ui/src/test/fake`, the vitest suite's too) behind `window.__TAURI_INTERNALS__`, the
 * way `@tauri-apps/api/mocks` `mockIPC` does, so `ui/src/ipc.ts` calls `invoke(cmd, args)` as in
 * the real window. The test's configuration arrives in `window.__mockConfig`; the test drives the
 * back end through `window.__mock` (`MockControl`).
 */
import type { Lang } from "../../../ui/src/bindings/Lang";
import { createFakeBackend } from "../../../ui/src/test/fake/backend";
import type { MockConfig } from "./backend";

// The stored language outlives a reload, like the back end's settings file; so does the clipboard.
const LANG_KEY = "mock-backend:lang";
const CLIPBOARD_KEY = "mock-backend:clipboard";

function install(config: MockConfig): void {
  const setupStart = performance.now();
  const fake = createFakeBackend(config, {
    langStore: {
      get: (): Lang | null => {
        const value = window.localStorage.getItem(LANG_KEY);
        return value === "pt-BR" || value === "en" ? value : null;
      },
      set: (lang) => {
        window.localStorage.setItem(LANG_KEY, lang);
      },
    },
  });

  async function invoke(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
    if (cmd === "plugin:event|listen") return args?.handler;
    if (cmd === "plugin:event|unlisten" || cmd === "plugin:event|emit") return null;
    const answer = await fake.invoke(cmd, args);
    // Like the real IPC, the answer crosses as JSON: the page gets objects of its own.
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
    calls: fake.calls,
    callsOf: fake.callsOf,
    fail: fake.fail,
    hold: fake.hold,
    release: fake.release,
    updateSession: fake.updateSession,
    setAuth: fake.setAuth,
    setAuditChain: fake.setAuditChain,
    lang: fake.lang,
    clipboard: () => window.localStorage.getItem(CLIPBOARD_KEY),
  };
}

if (window.__mockConfig) install(window.__mockConfig);
