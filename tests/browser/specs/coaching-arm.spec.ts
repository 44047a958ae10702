/**
 * The coaching card in the session panel (what the device user will do, the code to confirm,
 * Code confirmed by keyboard) and arming a session from the start dialog (pre-selected for an
 * offline device, with why; the armed session named in the device panel), with axe (no serious
 * violation) in the light and the dark theme.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ANDROID, DEVICES } from "../mock/fixtures";
import { backend, expectVisibleFocus, openDevices, openModeDialog } from "../support";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

/** Not reachable, last seen two days ago: offline for the product. */
const OFFLINE = {
  ...ANDROID,
  id: "and-009",
  name: "Eva's Galaxy",
  online: false,
  last_checkin: new Date(Date.now() - 2 * 86_400_000).toISOString(),
};

async function audit(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), name).toEqual([]);
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test("the coaching card and the arm choice pass axe", async ({ page }) => {
      await openDevices(page, { details: [...DEVICES, OFFLINE] });
      await openModeDialog(page, ANDROID.id);
      await expect(page.getByTestId("arm-choice")).toBeVisible();
      await page.getByTestId("start-button").click();
      await expect(page.getByTestId("coaching-step")).toHaveCount(4);
      await audit(page, `${scheme}: session panel with the coaching card`);
      await page.getByTestId("coaching-confirm-button").click();
      await expect(page.getByTestId("coaching-confirmed")).toBeVisible();
      await audit(page, `${scheme}: code confirmed`);
      await page.keyboard.press("Escape");
      await expect(page.getByTestId("mode-dialog")).toHaveCount(0);

      await openModeDialog(page, OFFLINE.id);
      await expect(page.getByTestId("arm-offline")).toBeVisible();
      await audit(page, `${scheme}: the arm choice, offline`);
      await page.getByTestId("start-button").click();
      await expect(page.getByTestId("arm-done")).toBeVisible();
      await audit(page, `${scheme}: armed`);
    });
  });
}

test("the card in the panel: the steps with their rules, the code in groups, Code confirmed by keyboard", async ({ page }) => {
  await openDevices(page);
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  const card = page.getByTestId("coaching-card");
  await expect(card.getByRole("heading", { name: "What the user will do" })).toBeVisible();
  await expect(card.getByTestId("coaching-step")).toHaveCount(4);
  await expect(card.getByTestId("coaching-step").nth(0)).toContainText("licence agreement (EULA)");
  await expect(card.getByTestId("coaching-step").nth(0)).toContainText("S6");
  const code = await page.getByTestId("session-code").textContent();
  expect(code).toMatch(/^s\d{2,4}-\d{3}-\d{3}$/);
  await expect(card.getByTestId("coaching-code")).toHaveText((code ?? "").split("-").join(" "));
  // The code is large: bigger than the steps' text.
  const sizes = await card.evaluate((el) => {
    const size = (sel: string) => parseFloat(getComputedStyle(el.querySelector(sel) as Element).fontSize);
    return { code: size('[data-testid="coaching-code"]'), step: size('[data-testid="coaching-step"]') };
  });
  expect(sizes.code).toBeGreaterThanOrEqual(sizes.step * 1.8);

  const confirm = card.getByTestId("coaching-confirm-button");
  // Reached by the keyboard (Shift+Tab, Tab), the focus shows.
  await confirm.focus();
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Tab");
  await expect(confirm).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(confirm).toHaveAttribute("aria-pressed", "true");
  await expect(card.getByTestId("coaching-confirmed")).toHaveText("Code confirmed: the user reads the same code.");
});

test("an offline device: the arm choice is pre-selected with why; Arm session arms it for the chosen wait", async ({ page }) => {
  await openDevices(page, { details: [...DEVICES, OFFLINE] });
  await openModeDialog(page, OFFLINE.id);
  await expect(page.getByTestId("when-later")).toBeChecked();
  await expect(page.getByTestId("arm-offline")).toContainText("The device is offline (last check-in 2 days ago)");
  await page.getByTestId("arm-within").selectOption("24");
  await expect(page.getByTestId("start-button")).toHaveText("Arm session");
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("arm-done")).toContainText("Armed: the session starts by itself when Eva's Galaxy next checks in");
  expect(await backend(page).callsOf("arm_session")).toEqual([
    { deviceId: OFFLINE.id, mode: "attended", reason: "", ticket: null, withinMinutes: 1440 },
  ]);
  // Focus stays in the dialog (on what happened), so Esc closes it.
  await expect(page.getByTestId("arm-done-title")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("mode-dialog")).toHaveCount(0);
  await expect(page.getByTestId("device-armed")).toContainText("Armed by");
  // The Sessions view lists it, waiting.
  await page.getByTestId("nav-sessions").click();
  await expect(page.getByTestId("armed-row").filter({ hasText: OFFLINE.id })).toBeVisible();
});
