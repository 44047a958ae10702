/** Shared steps of the browser tests: open the built UI on a mocked back end, and look at it. */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import type { CommandName } from "../../ui/src/bindings/commands";
import { MOCK_BUNDLE } from "./global-setup";
import type { MockConfig } from "./mock/backend";
import { baseConfig } from "./mock/fixtures";

export const OUTPUT = path.resolve(import.meta.dirname, "output");

/**
 * Records, in the page, when the first device rows were painted: the frame after the first
 * `device-row` entered the DOM (`window.__firstRows`, ms since navigation start).
 */
function watchFirstRows(): void {
  const w = window as unknown as { __firstRows?: number };
  const seen = () => {
    // The frame after the rows were rendered: the callback runs once that frame is painted.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        w.__firstRows = performance.now();
      };
      channel.port2.postMessage(null);
    });
  };
  const observer = new MutationObserver(() => {
    if (document.querySelector('[data-testid="device-row"]')) {
      observer.disconnect();
      seen();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * Opens the app with the back end set up from `overrides` (on top of `baseConfig()`): the
 * configuration, then the bundled back end (`global-setup.ts`) that installs itself from it.
 */
export async function openApp(page: Page, overrides: Partial<MockConfig> = {}): Promise<void> {
  await page.addInitScript((config) => {
    window.__mockConfig = config;
  }, baseConfig(overrides));
  await page.addInitScript({ path: MOCK_BUNDLE });
  await page.addInitScript(watchFirstRows);
  await page.goto("/");
}

/** Opens the app and waits for the device list. */
export async function openDevices(page: Page, overrides: Partial<MockConfig> = {}): Promise<void> {
  await openApp(page, overrides);
  await expect(page.getByTestId("device-row").first()).toBeVisible();
}

/** Opens a device's detail panel from the list by clicking its row. */
export async function openDevice(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="device-row"][data-device-id="${id}"]`).click();
  await expect(page.getByTestId("device-detail").getByTestId("actions-button")).toBeVisible();
}

/** Actions → the remote item → the mode dialog. */
export async function openModeDialog(page: Page, id: string): Promise<void> {
  await openDevice(page, id);
  await page.getByTestId("actions-button").click();
  await page.getByTestId("remote-action").click();
  await expect(page.getByTestId("mode-dialog")).toBeVisible();
}

/** The focused element shows where focus is (an outline of at least 2 px). */
export async function expectVisibleFocus(page: Page): Promise<void> {
  const outline = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "nothing focused";
    const style = getComputedStyle(el);
    return `${style.outlineStyle} ${style.outlineWidth}`;
  });
  expect(outline).toMatch(/^(solid|auto|dashed|dotted|double) ([2-9]|\d{2,})(\.\d+)?px$/);
}

/** Calls into the mocked back end (`window.__mock`). */
export function backend(page: Page) {
  return {
    callsOf: <K extends CommandName>(cmd: K) => page.evaluate((c) => window.__mock.callsOf(c), cmd),
    fail: (cmd: CommandName, error: Parameters<Window["__mock"]["fail"]>[1]) =>
      page.evaluate(([c, e]) => window.__mock.fail(c, e), [cmd, error] as const),
    hold: (cmd: CommandName, on = true) => page.evaluate(([c, o]) => window.__mock.hold(c, o), [cmd, on] as const),
    release: (cmd: CommandName) => page.evaluate((c) => window.__mock.release(c), cmd),
    updateSession: (id: string, patch: Parameters<Window["__mock"]["updateSession"]>[1]) =>
      page.evaluate(([i, p]) => window.__mock.updateSession(i, p), [id, patch] as const),
    clipboard: () => page.evaluate(() => window.__mock.clipboard()),
    lang: () => page.evaluate(() => window.__mock.lang()),
    setAuditChain: (chain: Parameters<Window["__mock"]["setAuditChain"]>[0]) =>
      page.evaluate((c) => window.__mock.setAuditChain(c), chain),
  };
}

/** Saves a screenshot under output/ (not committed). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(OUTPUT, { recursive: true });
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`) });
}
