/**
 * The fake back end of the vitest suite: the UI's one fake (`fake/backend.ts`, shared with the
 * Playwright suite) installed with `mockIPC`, so `ipc.ts` runs unchanged. The fixtures the
 * tests build on are re-exported from here.
 */
import { mockIPC } from "@tauri-apps/api/mocks";
import { createFakeBackend, type Answers, type FakeBackend } from "./fake/backend";
import type { FakeConfig } from "./fake/state";

export * from "./fake/fixtures";
export { auditPage, listPage } from "./fake/rules";
export { apiError } from "./fake/state";
export type { FakeBackend };

export interface FakeOptions extends FakeConfig {
  /** Commands the test answers itself: typed by the command map, they may throw an `ApiError`. */
  answers?: Answers;
}

export function installFakeBackend(options: FakeOptions = {}): FakeBackend {
  const { answers, ...config } = options;
  const fake = createFakeBackend(config, { answers });
  mockIPC((cmd, payload) => fake.invoke(cmd, payload));
  return fake;
}
