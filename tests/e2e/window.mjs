// Real-window smoke journey: the built Tauri app on the demo fleet, driven through WebDriver.
// Needs: DISPLAY (Xvfb), tauri-driver on TAURI_DRIVER_PORT, APP_BIN, HELPATWORK_DATA_DIR.
import { remote } from "webdriverio";
import { mkdirSync } from "node:fs";
import path from "node:path";

const app = process.env.APP_BIN;
const port = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const shots = process.env.SCREENSHOT_DIR ?? "docs/screenshots";
mkdirSync(shots, { recursive: true });

const results = [];
// textContent through the page: WebKitWebDriver's getText is unreliable on virtualized rows.
const text = (selector) =>
  browser.execute((sel) => document.querySelector(sel)?.textContent ?? "", selector);
async function step(name, fn) {
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${e?.message ?? e}`);
    const failure = path.join(process.env.FAILURE_DIR ?? "/tmp", "window-test-failure.png");
    await browser.saveScreenshot(failure).catch(() => {});
    console.log(`     screenshot: ${failure}`);
    throw e;
  }
}

const browser = await remote({
  hostname: "127.0.0.1",
  port,
  path: "/",
  logLevel: "warn",
  capabilities: {
    browserName: "wry",
    // WebKitWebDriver rejects the BiDi webSocketUrl capability that WebdriverIO 9 adds.
    "wdio:enforceWebDriverClassic": true,
    "tauri:options": { application: app, args: ["--demo"] },
  },
});

try {
  await step("the demo fleet is listed", async () => {
    const row = await browser.$('[data-testid="device-row"]');
    await row.waitForDisplayed({ timeout: 30000 });
    const badge = await browser.$('[data-testid="demo-badge"]');
    if (!(await badge.isDisplayed())) throw new Error("Demo badge missing");
    const rows = await browser.$$('[data-testid="device-row"]');
    if (rows.length < 10) throw new Error(`only ${rows.length} rows rendered`);
    if (rows.length > 120) throw new Error(`${rows.length} rows rendered: the table is not virtualized`);
    await browser.saveScreenshot(path.join(shots, "devices.png"));
  });

  await step("search finds a Pixel and its Actions menu offers remote control (S1)", async () => {
    const search = await browser.$('[data-testid="device-search"]');
    await search.setValue("pixel 8");
    await browser.waitUntil(
      async () => {
        return (await text('[data-testid="device-row"]')).includes("Pixel 8");
      },
      { timeout: 10000, timeoutMsg: "no Pixel 8 row after search" },
    );
    await (await browser.$('[data-testid="device-row"]')).click();
    const detail = await browser.$('[data-testid="device-detail"]');
    await detail.waitForDisplayed({ timeout: 10000 });
    await (await browser.$('[data-testid="actions-button"]')).click();
    const item = await browser.$('[data-testid="remote-action"]');
    await item.waitForDisplayed({ timeout: 5000 });
    const label = await text('[data-testid="remote-action"]');
    if (!label.includes("Start TeamViewer remote control")) throw new Error(`menu item reads "${label}"`);
    await browser.saveScreenshot(path.join(shots, "actions-menu.png"));
  });

  await step("the remote item opens the mode dialog with Attended preselected (S2)", async () => {
    await (await browser.$('[data-testid="remote-action"]')).click();
    const dialog = await browser.$('[data-testid="mode-dialog"]');
    await dialog.waitForDisplayed({ timeout: 5000 });
    const attended = await browser.$('[data-testid="mode-attended"]');
    const unattended = await browser.$('[data-testid="mode-unattended"]');
    await attended.waitForDisplayed({ timeout: 5000 });
    await unattended.waitForDisplayed({ timeout: 5000 });
    if (!(await text('[data-testid="mode-attended"]')).includes("Attended mode (default)")) throw new Error("attended label");
    if (!(await text('[data-testid="mode-unattended"]')).includes("Unattended mode (Android only)")) throw new Error("unattended label");
    await (await browser.$('[data-testid="start-button"]')).click();
    const result = await browser.$('[data-testid="start-result"]');
    await result.waitForDisplayed({ timeout: 10000 });
    if (!(await text('[data-testid="start-result"]')).trim()) throw new Error("start answered nothing");
    await browser.saveScreenshot(path.join(shots, "mode-dialog.png"));
  });
} finally {
  await browser.deleteSession().catch(() => {});
}

const passed = results.filter(([, ok]) => ok).length;
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(passed === results.length && results.length === 3 ? 0 : 1);
