/** The start dialog: modes, preflight, sign-in, and the session panel in each of its states. */
import { expect, test } from "@playwright/test";
import { ANDROID, ANDROID_OLD_APP, BLOCKED_REASON, IOS, NOT_CONFIGURED, platinumAdmin, SIGNED_OUT, session } from "../mock/fixtures";
import { backend, openDevices, openModeDialog } from "../support";

test("iOS: Remote view, Unattended is not offered and says why", async ({ page }) => {
  await openDevices(page);
  await openModeDialog(page, IOS.id);
  const dialog = page.getByTestId("mode-dialog");
  await expect(dialog).toContainText("Remote view");
  const unattended = page.getByTestId("mode-unattended");
  await expect(unattended).toHaveAttribute("aria-disabled", "true");
  await expect(page.getByTestId("unattended-reason")).toHaveText("Unattended mode is available only on Android devices.");
  await expect(unattended).toHaveAccessibleDescription("Unattended mode is available only on Android devices.");
  await unattended.click({ force: true });
  await expect(unattended).toHaveAttribute("aria-pressed", "false");
  await expect(page.getByTestId("mode-attended")).toHaveAttribute("aria-pressed", "true");
  // The attended mode's eligibility reason (view only) is shown, and the check warns.
  await expect(dialog).toContainText("iOS allows view only, not control.");
  await expect(page.getByTestId("preflight-summary")).toHaveText("Nothing blocks the start.");
  // Preflight was asked for the attended mode only.
  expect((await backend(page).callsOf("preflight")).map((args) => args.mode)).toEqual(["attended"]);
});

test("Android: choosing Unattended runs the checks for it", async ({ page }) => {
  await openDevices(page);
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("mode-unattended").click();
  await expect(page.getByTestId("mode-unattended")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("preflight-checklist")).toContainText("The unattended mode is activated.");
});

test("blocked preflight items show their fixes and Start is held back", async ({ page }) => {
  await openDevices(page, { admin: { ...platinumAdmin(), tier: "gold" } });
  await openModeDialog(page, ANDROID_OLD_APP.id);
  await expect(page.getByTestId("preflight-summary")).toHaveText("2 checks block the start.");
  const blocked = page.getByTestId("preflight-check").filter({ hasText: "Help@Work needs the Platinum tier." });
  await expect(blocked).toContainText("Upgrade the tenant's licence to Platinum.");
  await expect(page.getByTestId("preflight-check").filter({ hasText: BLOCKED_REASON })).toContainText(
    "Enrol the device fully in the MDM.",
  );
  const start = page.getByTestId("start-button");
  await expect(start).toHaveAttribute("aria-disabled", "true");
  await expect(start).toHaveAccessibleDescription("Fix the blocked checks first");
  await start.click({ force: true });
  expect(await backend(page).callsOf("start_session")).toHaveLength(0);
});

test("when the checks cannot run, Start is still offered and a blocked start lists the checks with fixes", async ({
  page,
}) => {
  await openDevices(page, {
    errors: {
      preflight: { code: "service_failed", message: "The MDM did not answer.", fix: "Check the MDM connector settings.", details: null },
    },
  });
  await openModeDialog(page, ANDROID_OLD_APP.id);
  const notice = page.getByTestId("preflight-error");
  await expect(notice).toContainText("The MDM did not answer.");
  await expect(notice).toContainText("Check the MDM connector settings.");
  await page.getByTestId("start-button").click();
  const error = page.getByTestId("start-error");
  await expect(error).toHaveAttribute("data-error-code", "blocked");
  await expect(error).toContainText("The session cannot start on this device.");
  await expect(error.getByTestId("preflight-checks")).toContainText(BLOCKED_REASON);
  await expect(error.getByTestId("preflight-checks")).toContainText("Enrol the device fully in the MDM.");
});

test("not signed in: Start asks for the sign-in, then the start continues by itself", async ({ page }) => {
  await openDevices(page, { auth: SIGNED_OUT });
  await expect(page.getByTestId("account-area")).toContainText("Not signed in");
  await openModeDialog(page, ANDROID.id);
  // The S3 check warns and offers the sign-in beside it.
  await expect(page.getByTestId("preflight-sign-in")).toBeVisible();
  await page.getByTestId("start-button").click();
  const error = page.getByTestId("start-error");
  await expect(error).toContainText("Sign in to TeamViewer to start the session");
  await expect(error).toContainText("Sign in to TeamViewer and grant permissions.");
  await backend(page).hold("sign_in");
  await page.getByTestId("sign-in-continue").click();
  await expect(page.getByTestId("mode-dialog").getByRole("status").filter({ hasText: "Waiting for the browser…" })).toBeVisible();
  await backend(page).release("sign_in");
  await expect(page.getByTestId("session-panel")).toBeVisible();
  await expect(page.getByTestId("session-code")).toHaveText("s101-456-789");
  await expect(page.getByTestId("account-name")).toContainText("Alex Agent");
  expect(await backend(page).callsOf("start_session")).toHaveLength(2);
});

test("without TeamViewer credentials the sign-in cannot be offered, and says why", async ({ page }) => {
  await openDevices(page, { auth: NOT_CONFIGURED });
  await expect(page.getByTestId("sign-in-button")).toHaveAttribute("aria-disabled", "true");
  await openModeDialog(page, ANDROID.id);
  await expect(page.getByTestId("preflight-check").filter({ hasText: "TeamViewer is not configured." })).toContainText(
    "Set the TeamViewer app credentials or a script token.",
  );
  await expect(page.getByTestId("start-button")).toHaveAttribute("aria-disabled", "true");
});

test("a session already open on the device: the conflict names the holder", async ({ page }) => {
  const holder = session({ id: "sess-h", agent: "Beatriz Agent", code: "s999-000-111", state: "active" });
  await openDevices(page, {
    errors: {
      start_session: {
        code: "conflict",
        message: "Another session is open on this device.",
        fix: "Ask the holder to close it.",
        details: { kind: "session_held", session: holder },
      },
    },
  });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("start-error")).toContainText("Another session holds this device");
  await expect(page.getByTestId("session-holder")).toContainText("Beatriz Agent has an open session on this device.");
  await expect(page.getByTestId("holder-code")).toHaveText("s999-000-111");
  await expect(page.getByTestId("holder-state")).toHaveText("Active");
});

test("session panel: starting, delivered, then waiting and active as the back end reports them, then closed", async ({
  page,
}) => {
  await page.clock.install();
  await openDevices(page, { hold: ["start_session"] });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("reason-input").fill("Ticket 4711");
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("start-button")).toHaveText("Starting…");
  await expect(page.getByTestId("start-button")).toHaveAttribute("aria-disabled", "true");
  await backend(page).release("start_session");

  const panel = page.getByTestId("session-panel");
  await expect(panel).toBeVisible();
  await expect(page.getByTestId("session-state")).toHaveText(/Delivered to device/);
  await expect(page.getByTestId("session-reason")).toHaveText("Ticket 4711");
  await expect(page.getByRole("heading", { name: "Session code" })).toBeFocused();

  for (const [state, label] of [
    ["waiting", "Waiting for user"],
    ["active", "Active"],
  ] as const) {
    await backend(page).updateSession("sess-1", { state });
    await page.clock.runFor(15_000);
    await expect(page.getByTestId("session-state")).toHaveText(new RegExp(label));
  }

  await page.getByTestId("session-close").click();
  await expect(page.getByTestId("session-state")).toHaveText(/Closed/);
  await expect(page.getByTestId("session-close")).toHaveCount(0);
});

test("session panel: a refresh that fails says so and keeps the session", async ({ page }) => {
  await page.clock.install();
  await openDevices(page);
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("session-panel")).toBeVisible();
  await backend(page).fail("get_session", { code: "service_failed", message: "TeamViewer did not answer.", fix: null, details: null });
  await page.clock.runFor(15_000);
  await expect(page.getByTestId("session-refresh-error")).toContainText("TeamViewer did not answer.");
  await expect(page.getByTestId("session-code")).toHaveText("s101-456-789");
});

test("session panel: lost, then Start again starts the same session anew", async ({ page }) => {
  await openDevices(page, { startOverrides: { state: "lost" } });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("reason-input").fill("Ticket 9");
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("session-state")).toHaveText(/Lost/);
  await expect(page.getByTestId("session-lost")).toContainText("The start command was lost");
  await expect(page.getByTestId("session-close")).toHaveCount(0);
  await page.getByTestId("session-start-again").click();
  await expect(page.getByTestId("session-code")).toHaveText("s102-456-789");
  const starts = await backend(page).callsOf("start_session");
  expect(starts).toEqual([
    { deviceId: ANDROID.id, mode: "attended", reason: "Ticket 9", ticket: null },
    { deviceId: ANDROID.id, mode: "attended", reason: "Ticket 9", ticket: null },
  ]);
});

test("session panel: iOS countdown, then expired", async ({ page }) => {
  await page.clock.install();
  await openDevices(page);
  await openModeDialog(page, IOS.id);
  await page.getByTestId("start-button").click();
  const countdown = page.getByTestId("session-countdown");
  await expect(countdown).toHaveText("Expires in 30:00");
  await page.clock.runFor(61_000);
  await expect(countdown).toHaveText("Expires in 28:59");
  await backend(page).updateSession("sess-1", { state: "expired" });
  await page.clock.runFor(30 * 60_000);
  await expect(page.getByTestId("session-state")).toHaveText(/Expired/);
  await expect(countdown).toHaveText("Expired");
  await expect(countdown).toHaveAttribute("data-expired", "true");
  await expect(page.getByTestId("session-start-again")).toBeVisible();
});

test("session panel: failed offers Start again", async ({ page }) => {
  await openDevices(page, { startOverrides: { state: "failed", code: null } });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("session-state")).toHaveText(/Failed/);
  await expect(page.getByTestId("session-code")).toHaveText("Not assigned yet");
  await expect(page.getByTestId("session-start-again")).toBeVisible();
});

test("session panel: delivery fallback shows the end-customer link with Copy", async ({ page }) => {
  await openDevices(page, { startOverrides: { delivery: "end_customer_link" } });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  const fallback = page.getByTestId("session-delivery-link");
  await expect(fallback).toContainText("Give the device user this link");
  await expect(page.getByTestId("session-end-customer-link")).toHaveText("https://get.teamviewer.com/s101456789");
  await page.getByTestId("session-copy-link").click();
  await expect.poll(() => backend(page).clipboard()).toBe("https://get.teamviewer.com/s101456789");
});

test("session panel: the desktop client was not opened, so the supporter link is shown; Open again", async ({ page }) => {
  await openDevices(page, { startOverrides: { launched: false } });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("session-not-launched")).toContainText("Open the link below in TeamViewer");
  await expect(page.getByTestId("session-link")).toHaveText("https://start.teamviewer.com/s101456789");
  await page.getByTestId("session-open").click();
  await expect(page.getByText("The link was handed to the TeamViewer desktop client.")).toBeVisible();
  await expect(page.getByTestId("session-not-launched")).toHaveCount(0);
});

test("session panel: a close that fails shows the message and the fix", async ({ page }) => {
  await openDevices(page, {
    errors: {
      close_session: { code: "service_failed", message: "TeamViewer refused to close it.", fix: "Try again in a minute.", details: null },
    },
  });
  await openModeDialog(page, ANDROID.id);
  await page.getByTestId("start-button").click();
  await page.getByTestId("session-close").click();
  const error = page.getByTestId("session-error");
  await expect(error).toContainText("The session could not be closed");
  await expect(error).toContainText("TeamViewer refused to close it.");
  await expect(error).toContainText("Try again in a minute.");
  await expect(page.getByTestId("session-state")).toHaveText(/Delivered to device/);
});
