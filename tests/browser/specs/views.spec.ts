/** The sessions view and the admin page: loading, empty, error states and the admin's flows. */
import { expect, test } from "@playwright/test";
import { activation, EULA, platinumAdmin, session, SIGNED_OUT } from "../mock/fixtures";
import { backend, openApp } from "../support";

const SESSIONS = [
  session({ id: "s-active", device_id: "and-001", state: "active", created_at: "2026-11-20T12:05:00Z" }),
  session({ id: "s-waiting", device_id: "and-002", state: "waiting", created_at: "2026-11-20T12:04:00Z" }),
  session({
    id: "s-ios",
    device_id: "ios-001",
    state: "delivered",
    created_at: "2026-11-20T12:03:00Z",
    expires_at: "2099-01-01T00:00:00Z",
    delivery: "end_customer_link",
  }),
  session({ id: "s-lost", device_id: "and-003", state: "lost", created_at: "2026-11-20T11:00:00Z" }),
  session({ id: "s-expired", device_id: "ios-002", state: "expired", created_at: "2026-11-20T10:00:00Z" }),
  session({ id: "s-failed", device_id: "and-004", state: "failed", code: null, created_at: "2026-11-20T09:00:00Z" }),
  session({ id: "s-closed", device_id: "and-005", state: "closed", created_at: "2026-11-20T13:00:00Z" }),
];

test.describe("sessions view", () => {
  test("loading, then open sessions first, newest first", async ({ page }) => {
    await openApp(page, { sessions: SESSIONS, hold: ["list_sessions"] });
    await page.getByTestId("nav-sessions").click();
    await expect(page.getByTestId("sessions-loading")).toBeVisible();
    await backend(page).hold("list_sessions", false);
    await backend(page).release("list_sessions");
    const rows = page.getByTestId("session-row");
    await expect(rows).toHaveCount(7);
    const order = await rows.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-session-id")));
    expect(order).toEqual(["s-active", "s-waiting", "s-ios", "s-closed", "s-lost", "s-expired", "s-failed"]);
    await expect(page.getByTestId("sessions-count")).toHaveText("7 sessions");
    await page.getByTestId("sessions-open-only").check();
    await expect(rows).toHaveCount(3);
  });

  test("empty, and empty of open sessions", async ({ page }) => {
    await openApp(page);
    await page.getByTestId("nav-sessions").click();
    await expect(page.getByTestId("sessions-empty")).toContainText("No sessions yet");
    await page.getByTestId("sessions-open-only").check();
    await expect(page.getByTestId("sessions-empty")).toContainText("No open sessions");
  });

  test("a failed list shows the message and the fix; a failed refresh keeps the list", async ({ page }) => {
    await openApp(page, {
      sessions: SESSIONS,
      errors: { list_sessions: { code: "internal", message: "The session store cannot be read.", fix: "Restart the app.", details: null } },
    });
    await page.getByTestId("nav-sessions").click();
    const notice = page.getByTestId("sessions-error");
    await expect(notice).toContainText("The session store cannot be read.");
    await expect(notice).toContainText("Restart the app.");
    await backend(page).fail("list_sessions", null);
    await notice.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("session-row")).toHaveCount(7);
    await backend(page).fail("list_sessions", { code: "internal", message: "Store busy.", fix: null, details: null });
    await page.getByTestId("sessions-refresh").click();
    await expect(page.getByTestId("sessions-refresh-error")).toContainText("Store busy.");
    await expect(page.getByTestId("session-row")).toHaveCount(7);
  });

  test("each state in the side panel, opened from the keyboard", async ({ page }) => {
    await openApp(page, { sessions: SESSIONS });
    await page.getByTestId("nav-sessions").click();
    const expected: Record<string, RegExp> = {
      "s-active": /Active/,
      "s-waiting": /Waiting for user/,
      "s-ios": /Delivered to device/,
      "s-closed": /Closed/,
      "s-lost": /Lost/,
      "s-expired": /Expired/,
      "s-failed": /Failed/,
    };
    for (const [id, label] of Object.entries(expected)) {
      const button = page.locator(`[data-testid="session-row"][data-session-id="${id}"] button`);
      await button.focus();
      await page.keyboard.press("Enter");
      const panel = page.getByTestId("session-panel");
      await expect(panel).toHaveAttribute("data-session-state", id.replace("s-", "").replace("ios", "delivered"));
      await expect(page.getByTestId("session-state")).toHaveText(label);
      if (id === "s-ios") {
        await expect(page.getByTestId("session-end-customer-link")).toHaveText("https://get.teamviewer.com/s123456789");
        await expect(page.getByTestId("session-copy-link")).toBeVisible();
        await expect(page.getByTestId("session-countdown")).toContainText("Expires in");
      }
      if (id === "s-lost") await expect(page.getByTestId("session-lost")).toBeVisible();
      if (id === "s-lost" || id === "s-expired" || id === "s-failed") {
        await expect(page.getByTestId("session-start-again")).toBeVisible();
      }
      if (id === "s-closed") await expect(page.getByTestId("session-close")).toHaveCount(0);
      await page.keyboard.press("Escape");
      await expect(panel).toHaveCount(0);
      await expect(button).toBeFocused();
    }
  });
});

test.describe("admin page", () => {
  test("loading, then the sections", async ({ page }) => {
    await openApp(page, { hold: ["admin_status"] });
    await page.getByTestId("nav-admin").click();
    await expect(page.getByTestId("admin-loading")).toBeVisible();
    await backend(page).release("admin_status");
    await expect(page.getByTestId("tier-section")).toBeVisible();
    await expect(page.getByTestId("activation-attended")).toHaveAttribute("data-active", "true");
    await expect(page.getByTestId("licences-usage")).toHaveText("1 of 2 in use");
  });

  test("a failed load shows the message and the fix", async ({ page }) => {
    await openApp(page, {
      errors: { admin_status: { code: "service_failed", message: "The tenant settings cannot be read.", fix: "Sign in as an admin.", details: null } },
    });
    await page.getByTestId("nav-admin").click();
    await expect(page.getByTestId("admin-error")).toContainText("The tenant settings cannot be read.");
    await expect(page.getByTestId("admin-error")).toContainText("Sign in as an admin.");
  });

  test("below Platinum Help@Work is locked and Activate now is not offered", async ({ page }) => {
    await openApp(page, {
      admin: { ...platinumAdmin(), tier: "gold", activations: [activation("attended", false), activation("unattended", false)] },
    });
    await page.getByTestId("nav-admin").click();
    const banner = page.getByTestId("locked-banner");
    await expect(banner).toContainText("Help@Work is locked");
    await expect(banner).toContainText("The tenant has the Gold tier.");
    const activate = page.getByTestId("activate-attended");
    await expect(activate).toHaveAttribute("aria-disabled", "true");
    await expect(activate).toHaveAccessibleDescription("Available with the Platinum licence tier.");
    await activate.click({ force: true });
    await expect(page.getByRole("dialog")).toHaveCount(0);
    // Platinum unlocks it.
    await page.getByTestId("tier-select").selectOption("platinum");
    await expect(banner).toHaveCount(0);
    await expect(activate).not.toHaveAttribute("aria-disabled", "true");
  });

  test("Activate now: the EULA must be read to the end; I agree activates", async ({ page }) => {
    await openApp(page, { admin: { ...platinumAdmin(), activations: [activation("attended", false), activation("unattended", true)] } });
    await page.getByTestId("nav-admin").click();
    await page.getByTestId("activate-attended").click();
    const dialog = page.getByTestId("eula-dialog");
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId("eula-cancel")).toBeFocused();
    await expect(page.getByTestId("eula-version")).toHaveText(`Version ${EULA.version}`);
    const agree = page.getByTestId("eula-agree");
    await expect(agree).toHaveAttribute("aria-disabled", "true");
    await expect(page.getByTestId("eula-scroll-hint")).toBeVisible();
    // Read with the keyboard: the text region is focusable and scrolls with End.
    await page.getByTestId("eula-text").focus();
    await page.keyboard.press("End");
    await expect(agree).not.toHaveAttribute("aria-disabled", "true");
    await agree.click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("activation-done")).toHaveText("Attended TeamViewer is activated.");
    await expect(page.getByTestId("activation-attended")).toHaveAttribute("data-active", "true");
    expect(await backend(page).callsOf("activate")).toEqual([{ mode: "attended", eulaSha256: EULA.sha256 }]);
  });

  test("the EULA dialog: Esc cancels; not signed in, I agree offers the sign-in and then activates", async ({ page }) => {
    await openApp(page, {
      auth: SIGNED_OUT,
      admin: { ...platinumAdmin(), activations: [activation("attended", false), activation("unattended", false)] },
    });
    await page.getByTestId("nav-admin").click();
    await page.getByTestId("activate-unattended").click();
    await expect(page.getByTestId("eula-dialog")).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(page.getByTestId("eula-dialog")).toHaveCount(0);
    await expect(page.getByTestId("activate-unattended")).toBeFocused();

    await page.getByTestId("activate-unattended").click();
    await page.getByTestId("eula-text").evaluate((node) => {
      node.scrollTop = node.scrollHeight;
    });
    await page.getByTestId("eula-agree").click();
    const error = page.getByTestId("activate-error");
    await expect(error).toContainText("Sign in to TeamViewer to activate");
    await expect(error).toContainText("Sign in to TeamViewer and grant permissions.");
    await page.getByTestId("sign-in-continue").click();
    await expect(page.getByTestId("eula-dialog")).toHaveCount(0);
    await expect(page.getByTestId("activation-unattended")).toHaveAttribute("data-active", "true");
  });

  test("the EULA cannot be loaded: message, fix and Retry", async ({ page }) => {
    await openApp(page, {
      admin: { ...platinumAdmin(), activations: [] },
      errors: { get_eula: { code: "not_found", message: "The EULA file is missing.", fix: "Reinstall the app.", details: null } },
    });
    await page.getByTestId("nav-admin").click();
    await page.getByTestId("activate-attended").click();
    await expect(page.getByTestId("eula-error")).toContainText("The EULA file is missing.");
    await expect(page.getByTestId("eula-error")).toContainText("Reinstall the app.");
    await backend(page).fail("get_eula", null);
    await page.getByTestId("eula-error").getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("eula-text")).toBeVisible();
  });

  test("licences: fewer than in use is refused with the message and the fix; a bad number is caught", async ({ page }) => {
    await openApp(page, { admin: { ...platinumAdmin(), distributions: { host: ["and-001", "and-002"] }, purchased: 3 } });
    await page.getByTestId("nav-admin").click();
    await expect(page.getByTestId("licences-usage")).toHaveText("2 of 3 in use");
    const input = page.getByTestId("licences-input");
    await input.fill("-1");
    await page.getByTestId("licences-save").click();
    await expect(page.getByTestId("licences-invalid")).toHaveText("Enter a whole number, 0 or more.");
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await input.fill("1");
    await page.getByTestId("licences-save").click();
    const error = page.getByTestId("licences-error");
    await expect(error).toContainText("The licence count was not changed");
    await expect(error).toContainText("Host is distributed to 2 devices, more than 1 licences (U3).");
    await expect(error).toContainText("Undistribute Host from some devices first.");
    await input.fill("5");
    await page.getByTestId("licences-save").click();
    await expect(page.getByTestId("licences-usage")).toHaveText("2 of 5 in use");
  });

  test("Host beyond the purchased licences is refused with the numbers and the fix", async ({ page }) => {
    await openApp(page, { admin: { ...platinumAdmin(), purchased: 1, distributions: { host: ["and-001"] } } });
    await page.getByTestId("nav-admin").click();
    await page.getByTestId("distribution-app").selectOption("host");
    await page.getByTestId("distribution-devices").fill("and-002");
    await page.getByTestId("distribute").click();
    const error = page.getByTestId("distribution-section").getByRole("alert");
    await expect(error).toContainText("Not enough unattended licences");
    await expect(error).toContainText("Buy more MI add-on licences or distribute to fewer devices.");
    await expect(page.getByTestId("licences-needed")).toHaveText("2");
    await expect(page.getByTestId("licences-purchased")).toHaveText("1");
    await expect(page.getByTestId("licences-consumed")).toHaveText("1");
    await expect(page.getByTestId("licences-usage")).toHaveText("1 of 1 in use");
  });

  test("Remove activation asks to confirm, then both modes can be activated again", async ({ page }) => {
    await openApp(page);
    await page.getByTestId("nav-admin").click();
    await page.getByTestId("remove-activation").click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toBeVisible();
    await page.getByTestId("confirm-removal-yes").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("activation-done")).toContainText("The activation was removed.");
    await expect(page.getByTestId("activate-attended")).toBeVisible();
    await expect(page.getByTestId("activate-unattended")).toBeVisible();
  });
});
