/**
 * The Readiness view in the browser: the stored board painted at once then the fresh one, a
 * group's devices in the table, a fix's dry run, Run and its outcomes, keyboard use, the header
 * still fitting its views at the window's default width in both languages, and axe (no serious
 * violation) in the light and the dark theme.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { makeRows, NOT_CONFIGURED, SIGNED_IN, SIGNED_OUT } from "../../../ui/src/test/fake/fixtures";
import { openDevices } from "../support";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

async function audit(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), name).toEqual([]);
}

async function openReadiness(page: Page): Promise<void> {
  await openDevices(page, { rows: makeRows(200) });
  await page.getByTestId("nav-readiness").click();
  await expect(page.getByTestId("readiness-group-view_only")).toBeVisible();
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test("the board and a fix's dry run pass axe", async ({ page }) => {
      await openReadiness(page);
      await expect(page.getByTestId("readiness-refreshing")).toHaveCount(0);
      await audit(page, `${scheme}: readiness board`);
      await page.getByTestId("readiness-group-view_only").getByTestId("group-fix").click();
      await expect(page.getByTestId("fix-changes")).toBeVisible();
      await audit(page, `${scheme}: fix dry run`);
      await page.getByTestId("fix-run").click();
      await expect(page.getByTestId("fix-outcomes")).toBeVisible();
      await audit(page, `${scheme}: fix outcomes`);
    });
  });
}

test("the header fits its eight views at 1280 px and at the window's 900 px minimum, in English and pt-BR, whatever the account says", async ({
  page,
}) => {
  for (const width of [1280, 900]) {
    await page.setViewportSize({ width, height: 800 });
    for (const lang of ["en", "pt-BR"] as const) {
      // Not configured shows the longest text: the hint to set the TeamViewer app's credentials.
      for (const [name, auth] of [
        ["signed in", SIGNED_IN],
        ["signed out", SIGNED_OUT],
        ["not configured", NOT_CONFIGURED],
      ] as const) {
        const what = `${width} px, ${lang}, ${name}`;
        await openDevices(page, { lang, auth });
        await expect(page.getByTestId("account-area")).toBeVisible();
        const header = page.locator(".app-header");
        const overflow = await header.evaluate((el) => el.scrollWidth - el.clientWidth);
        expect(overflow, what).toBeLessThanOrEqual(0);
        await expect(page.getByTestId("nav-readiness")).toBeVisible();
        // Nothing of the header's end lies over a view's button, and all of it is on screen.
        const clash = await page.evaluate(() => {
          const boxes = (selector: string) =>
            [...document.querySelectorAll(selector)].map((el) => el.getBoundingClientRect());
          const views = boxes(".nav > *");
          const end = boxes(".app-header__end > *");
          const over = (a: DOMRect, b: DOMRect) =>
            a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
          // The end's items sit at the header's right edge, on whichever row they are.
          const header = document.querySelector(".app-header");
          const last = document.querySelector(".app-header__end > :last-child");
          const right = header && last ? header.getBoundingClientRect().right - parseFloat(getComputedStyle(header).paddingRight) : 0;
          return {
            overlaps: end.filter((e) => views.some((v) => over(e, v))).length,
            offscreen: end.filter((e) => e.right > window.innerWidth || e.left < 0).length,
            atTheRight: last !== null && Math.abs(right - last.getBoundingClientRect().right) <= 1,
          };
        });
        expect(clash, what).toEqual({ overlaps: 0, offscreen: 0, atTheRight: true });
      }
    }
  }
});

test("keyboard: the view, the mode tabs, a group's dry run and Esc", async ({ page }) => {
  await openReadiness(page);
  await page.getByRole("tab", { name: "Attended", exact: true }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(page.getByRole("tab", { name: "Unattended" })).toBeFocused();
  await expect(page.getByTestId("readiness-group-host_not_distributed")).toBeVisible();
  await page.getByTestId("readiness-group-host_not_distributed").getByTestId("group-fix").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("fix-licences")).toContainText("taken");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("fix-dialog")).toHaveCount(0);
  await expect(page.getByTestId("readiness-group-host_not_distributed").getByTestId("group-fix")).toBeFocused();
});

test("a group opens the devices table on its devices", async ({ page }) => {
  await openReadiness(page);
  await page.getByTestId("readiness-group-quicksupport").getByTestId("group-devices").click();
  await expect(page.getByTestId("group-filter")).toContainText("12 devices");
  await expect(page.getByTestId("device-row")).toHaveCount(12);
});
