/**
 * Hostile text from the MDM or an agent rendered by the window: a device whose name, user name,
 * model and manufacturer, and a session whose reason, hold HTML and script. The text shows
 * literally in the device table, the detail panel, the start dialog, the session panel and the
 * sessions view; no element it describes exists in the DOM and none of its script runs.
 */
import { expect, test, type Page } from "@playwright/test";
import type { DeviceDetail } from "../../../ui/src/bindings/DeviceDetail";
import { ANDROID, DEVICES, session } from "../mock/fixtures";
import { openDevices, openModeDialog } from "../support";

const IMG = '<img src=x onerror="window.__pwned=1">';
const SCRIPT = "<script>window.__pwned=1</script>";
const SVG = '"><svg onload="window.__pwned=1">';
const REASON = `${SVG} ${IMG} ${SCRIPT}`;

const HOSTILE: DeviceDetail = {
  ...ANDROID,
  id: "and-hostile",
  name: IMG,
  user: { name: SCRIPT, email: "ana@example.com" },
  manufacturer: SCRIPT,
  model: SVG,
};

/** Nothing the hostile text describes was created, and none of its script ran. */
async function expectNothingRan(page: Page): Promise<void> {
  // An <img src=x> would have failed to load by now and run its onerror.
  await page.waitForTimeout(300);
  const found = await page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    handlers: document.querySelectorAll("[onerror], [onload]").length,
    images: [...document.querySelectorAll("img")].filter((i) => i.getAttribute("src") === "x").length,
    svgs: [...document.querySelectorAll("svg")].filter((s) => s.hasAttribute("onload")).length,
    scripts: [...document.scripts].filter((s) => (s.textContent ?? "").includes("__pwned")).length,
  }));
  expect(found).toEqual({ pwned: undefined, handlers: 0, images: 0, svgs: 0, scripts: 0 });
}

test("hostile device fields and a hostile reason show as text and never run", async ({ page }) => {
  await openDevices(page, {
    details: [HOSTILE, ...DEVICES],
    sessions: [session({ id: "s-hostile", device_id: HOSTILE.id, state: "closed", reason: REASON })],
  });

  // The table.
  const row = page.locator(`[data-testid="device-row"][data-device-id="${HOSTILE.id}"]`);
  await expect(row).toContainText(IMG);
  await expect(row).toContainText(SCRIPT);
  await expect(row).toContainText(SVG);
  await expectNothingRan(page);

  // The detail panel (openModeDialog opens it first), then the start dialog.
  await openModeDialog(page, HOSTILE.id);
  const detail = page.getByTestId("device-detail");
  await expect(detail).toContainText(IMG);
  await expect(detail).toContainText(SCRIPT);
  await expect(detail).toContainText(SVG);
  const dialog = page.getByTestId("mode-dialog");
  await expect(dialog.getByRole("heading", { level: 2 })).toContainText(IMG);
  await expectNothingRan(page);

  // The reason typed for the start, shown back by the session panel.
  await page.getByTestId("reason-input").fill(REASON);
  await expect(page.getByTestId("reason-input")).toHaveValue(REASON);
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("session-panel")).toBeVisible();
  await expect(page.getByTestId("session-reason")).toHaveText(REASON);
  await expect(dialog.getByRole("heading", { level: 2 })).toContainText(IMG);
  await expectNothingRan(page);
  await page.keyboard.press("Escape");

  // The sessions view and a session's side panel.
  await page.getByTestId("nav-sessions").click();
  const sessionRow = page.locator('[data-testid="session-row"][data-session-id="s-hostile"]');
  await expect(sessionRow).toBeVisible();
  await sessionRow.locator("button").click();
  await expect(page.getByTestId("session-reason")).toHaveText(REASON);
  await expectNothingRan(page);
});
