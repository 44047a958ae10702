/**
 * The mocked back end of the browser tests: the UI's one fake back end (`ui/src/test/fake`,
 * shared with the vitest suite), bundled for the page (`global-setup.ts`) and installed there by
 * `mock/page.ts` before the app starts. Every answer has the shape of the generated bindings; a
 * failure rejects with an `ApiError` (`{code, message, fix, details}`) like the Rust side.
 *
 * The page keeps the back end's state; tests read and change it through `window.__mock`
 * (`MockControl`).
 */
import type { FakeBackend } from "../../../ui/src/test/fake/backend";
import type { FakeConfig } from "../../../ui/src/test/fake/state";

export type { AdminState } from "../../../ui/src/test/fake/fixtures";

/** How the page's back end starts: plain data, handed to the page as JSON. */
export type MockConfig = FakeConfig;

/** What a test can do with the back end from `page.evaluate` (`window.__mock`). */
export type MockControl = Pick<FakeBackend, "calls" | "callsOf" | "fail" | "hold" | "release" | "updateSession" | "setAuth" | "setAuditChain" | "lang"> & {
  /** What the app last copied to the clipboard. */
  clipboard(): string | null;
};

declare global {
  interface Window {
    __mock: MockControl;
    __mockConfig?: MockConfig;
    __mockSetupMs?: number;
    __TAURI_INTERNALS__?: unknown;
    __TAURI_EVENT_PLUGIN_INTERNALS__?: unknown;
  }
}
