/** The devices view: loading, empty, error, search and filters, keyboard-only navigation. */
import { expect, test } from "@playwright/test";
import { ANDROID, IOS, IOS_MAM, MAM_REASON } from "../mock/fixtures";
import { backend, expectVisibleFocus, openApp, openDevices } from "../support";

test("starting: the window says so until app_info answers, then lists the devices", async ({ page }) => {
  await openApp(page, { hold: ["app_info"] });
  await expect(page.getByRole("status").filter({ hasText: "Starting Help@Work Desk" })).toBeVisible();
  await expect(page.getByTestId("device-grid")).toHaveCount(0);
  await backend(page).release("app_info");
  await expect(page.getByTestId("device-row")).toHaveCount(4);
  await expect(page.getByTestId("device-count")).toHaveText("4 devices");
});

test("a failed start shows the message and the fix, and Retry starts again", async ({ page }) => {
  await openApp(page, {
    errors: {
      app_info: {
        code: "service_failed",
        message: "The device store cannot be opened.",
        fix: "Check that the data folder is writable.",
        details: null,
      },
    },
  });
  const notice = page.getByTestId("app-error");
  await expect(notice).toContainText("The device store cannot be opened.");
  await expect(notice).toContainText("Check that the data folder is writable.");
  await expect(notice).toHaveAttribute("data-error-code", "service_failed");
  await backend(page).fail("app_info", null);
  await notice.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("device-row").first()).toBeVisible();
});

test("the device list loading state, then its rows", async ({ page }) => {
  await openApp(page, { hold: ["list_devices"] });
  await expect(page.getByTestId("devices-loading")).toBeVisible();
  await backend(page).release("list_devices");
  await expect(page.getByTestId("devices-loading")).toHaveCount(0);
  await expect(page.getByTestId("device-row")).toHaveCount(4);
});

test("an empty fleet says so", async ({ page }) => {
  await openApp(page, { details: [], info: { device_count: 0 } });
  await expect(page.getByTestId("devices-empty")).toContainText("No devices match");
  // Nothing to clear when no filter is set.
  await expect(page.getByTestId("devices-empty").getByRole("button")).toHaveCount(0);
});

test("a failed device list shows the message and the fix; Retry loads it", async ({ page }) => {
  await openApp(page, {
    errors: {
      list_devices: {
        code: "internal",
        message: "The device store is locked by another process.",
        fix: "Close the other Help@Work Desk window and retry.",
        details: null,
      },
    },
  });
  const notice = page.getByTestId("devices-error");
  await expect(notice).toContainText("The device store is locked by another process.");
  await expect(notice).toContainText("Close the other Help@Work Desk window and retry.");
  await backend(page).fail("list_devices", null);
  await notice.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("device-row")).toHaveCount(4);
});

test("search narrows the list, shows the count, and an empty result offers Clear filters", async ({ page }) => {
  await openDevices(page);
  const search = page.getByTestId("device-search");
  await search.fill("bruno");
  await expect(page.getByTestId("device-row")).toHaveCount(1);
  await expect(page.getByTestId("device-row")).toHaveAttribute("data-device-id", IOS.id);
  await expect(page.getByTestId("result-count")).toHaveText("1 match");
  const queries = await backend(page).callsOf("list_devices");
  expect(queries.at(-1)).toMatchObject({ query: { search: "bruno", platform: null, readiness: null, offset: 0 } });

  await search.fill("nobody-has-this-name");
  await expect(page.getByTestId("devices-empty")).toBeVisible();
  await page.getByTestId("devices-empty").getByRole("button", { name: "Clear filters" }).click();
  await expect(search).toHaveValue("");
  await expect(page.getByTestId("device-row")).toHaveCount(4);
});

test("platform and readiness filters", async ({ page }) => {
  await openDevices(page);
  await page.getByTestId("platform-filter").selectOption("ios");
  await expect(page.getByTestId("device-row")).toHaveCount(2);
  await page.getByTestId("readiness-filter").selectOption("unsupported");
  await expect(page.getByTestId("device-row")).toHaveCount(1);
  await expect(page.getByTestId("device-row")).toHaveAttribute("data-device-id", IOS_MAM.id);
  await expect(page.getByTestId("result-count")).toHaveText("1 match");
});

test("'/' focuses the search box", async ({ page }) => {
  await openDevices(page);
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("/");
  await expect(page.getByTestId("device-search")).toBeFocused();
});

test("keyboard only: table → Actions menu → mode dialog → Esc closes it, then the panel", async ({ page }) => {
  await openDevices(page);
  // Tab from the search box reaches the filters, then the grid's active row.
  await page.getByTestId("device-search").focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  const rows = page.getByTestId("device-row");
  await expect(rows.nth(0)).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press("ArrowDown");
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press("End");
  await expect(rows.nth(3)).toBeFocused();
  await page.keyboard.press("Home");
  await expect(rows.nth(0)).toBeFocused();
  await expect(rows.nth(0)).toHaveAttribute("data-device-id", ANDROID.id);

  // Enter opens the detail panel; Tab reaches its Actions button.
  await page.keyboard.press("Enter");
  const actions = page.getByTestId("actions-button");
  await expect(actions).toBeVisible();
  await expect(rows.nth(0)).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Tab");
  await expect(actions).toBeFocused();
  await expectVisibleFocus(page);

  // The menu opens on Enter with focus on its first item; arrows move, Esc closes.
  await page.keyboard.press("Enter");
  const remote = page.getByTestId("remote-action");
  await expect(remote).toBeFocused();
  await expect(remote).toHaveText("Start TeamViewer remote control");
  await expectVisibleFocus(page);
  await page.keyboard.press("ArrowDown");
  await expect(page.getByTestId("refresh-action")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menu")).toHaveCount(0);
  await expect(actions).toBeFocused();

  // ArrowDown opens it again; Enter on the remote item opens the mode dialog.
  await page.keyboard.press("ArrowDown");
  await expect(remote).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(page.getByTestId("mode-attended")).toBeFocused();
  await expectVisibleFocus(page);
  await expect(page.getByTestId("preflight-summary")).toHaveText("Nothing blocks the start.");

  // Tab stays inside the dialog.
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press("Tab");
    expect(await dialog.evaluate((node) => node.contains(document.activeElement))).toBe(true);
  }

  // Esc closes the dialog and gives focus back; a second Esc closes the panel.
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(actions).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("device-detail")).toHaveCount(0);
  await expect(rows.nth(0)).toBeFocused();
});

test("the MAM-only iPad's remote item is disabled and says why", async ({ page }) => {
  await openDevices(page);
  await page.locator(`[data-testid="device-row"][data-device-id="${IOS_MAM.id}"]`).click();
  await page.getByTestId("actions-button").click();
  const item = page.getByTestId("remote-action");
  await expect(item).toHaveAttribute("aria-disabled", "true");
  await expect(item).toContainText("Remote view");
  await expect(item).toContainText(MAM_REASON);
  // Chosen anyway (Enter on the focused item): nothing opens.
  await item.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a device whose details fail to load shows the error and Retry", async ({ page }) => {
  await openDevices(page, {
    errors: { get_device: { code: "not_found", message: "No device and-001.", fix: "Sync the fleet again.", details: null } },
  });
  await page.getByTestId("device-row").first().click();
  const detail = page.getByTestId("device-detail");
  await expect(detail.getByRole("alert")).toContainText("No device and-001.");
  await expect(detail.getByRole("alert")).toContainText("Sync the fleet again.");
  await backend(page).fail("get_device", null);
  await detail.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("actions-button")).toBeVisible();
});

test("a page that fails while scrolling: the banner shows the message, the fix and Retry", async ({ page }) => {
  await openDevices(page, { generated: 1_000 });
  await backend(page).fail("list_devices", {
    code: "service_failed",
    message: "The MDM connector timed out.",
    fix: "Check the MDM connector settings, then retry.",
    details: null,
  });
  await page.getByTestId("device-grid").evaluate((node) => {
    node.scrollTop = 600 * 36;
  });
  const banner = page.getByRole("alert").filter({ hasText: "The MDM connector timed out." });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Check the MDM connector settings, then retry.");
  await expect(page.getByTestId("device-row-loading").first()).toBeVisible();
  await backend(page).fail("list_devices", null);
  await banner.getByRole("button", { name: "Retry" }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.locator('[data-testid="device-row"][data-device-id="dev-000600"]')).toBeVisible();
});

test("sessions and admin: a failed refresh keeps the data and shows the message and the fix", async ({ page }) => {
  const failure = { code: "service_failed", message: "The service is down.", fix: "Try again in a few minutes.", details: null } as const;
  await openDevices(page);
  await page.getByTestId("nav-sessions").click();
  await expect(page.getByTestId("sessions-empty")).toBeVisible();
  await backend(page).fail("list_sessions", failure);
  await page.getByTestId("sessions-refresh").click();
  const sessionsError = page.getByTestId("sessions-refresh-error");
  await expect(sessionsError).toContainText("The service is down.");
  await expect(sessionsError).toContainText("Try again in a few minutes.");

  await page.getByTestId("nav-admin").click();
  await page.getByTestId("deprovision").click();
  await expect(page.getByTestId("deprovision-refresh")).toBeVisible();
  await backend(page).fail("admin_status", failure);
  await page.getByTestId("deprovision-refresh").click();
  const adminError = page.getByRole("alert").filter({ hasText: "The service is down." });
  await expect(adminError).toContainText("Try again in a few minutes.");
  await expect(page.getByTestId("tier-section")).toBeVisible();
});
