/** The audit and settings views: loading, empty and error states, filters, export, save, test. */
import { expect, test } from "@playwright/test";
import { AUDIT, AUDIT_CHAIN_DELETED } from "../mock/fixtures";
import { backend, expectVisibleFocus, openApp, shot } from "../support";

test.describe("audit view", () => {
  test("loading, then the events newest first; a filter narrows them; export says where the CSV went", async ({ page }) => {
    await openApp(page, { audit: AUDIT, hold: ["list_audit"] });
    await page.getByTestId("nav-audit").click();
    await expect(page.getByTestId("audit-loading")).toBeVisible();
    await backend(page).hold("list_audit", false);
    await backend(page).release("list_audit");
    const rows = page.getByTestId("audit-row");
    await expect(rows).toHaveCount(6);
    await expect(rows.first()).toHaveAttribute("data-audit-id", "a-6");
    await expect(page.getByTestId("audit-range")).toHaveText("1–6 of 6");

    await page.getByTestId("audit-actor").selectOption("maria.admin");
    await page.getByTestId("audit-apply").click();
    await expect(rows).toHaveCount(3);
    expect((await backend(page).callsOf("list_audit")).at(-1)).toMatchObject({ filter: { actor: "maria.admin", offset: 0 } });

    await page.getByTestId("audit-export").click();
    await expect(page.getByTestId("audit-export-status")).toContainText("3 events saved as CSV");
    await expect(page.getByTestId("audit-export-status")).toContainText("/home/agent/Downloads/");

    await page.getByTestId("audit-clear").click();
    await expect(rows).toHaveCount(6);
  });

  test("keyboard only: the filters, Apply and the pages, with visible focus", async ({ page }) => {
    const many = Array.from({ length: 120 }, (_, i) => ({
      ...AUDIT[0]!,
      id: `k-${i}`,
      at: new Date(Date.UTC(2026, 10, 20, 12, 0, 0) - i * 60_000).toISOString(),
      actor: i % 2 === 0 ? "alex" : "bia",
    }));
    await openApp(page, { audit: many });
    await page.getByTestId("nav-audit").focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("audit-row").first()).toBeVisible();
    await page.getByTestId("audit-device").focus();
    await expectVisibleFocus(page);
    await page.keyboard.press("Tab");
    await expect(page.getByTestId("audit-actor")).toBeFocused();
    await expectVisibleFocus(page);
    await page.getByTestId("audit-actor").selectOption("bia");
    await page.getByTestId("audit-device").focus();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("audit-range")).toHaveText("1–50 of 60");
    await page.getByTestId("audit-next").focus();
    await expectVisibleFocus(page);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("audit-range")).toHaveText("51–60 of 60");
  });

  test("the hash chain: verified up to the newest event; a deleted event is a warning naming it, with the fix", async ({ page }) => {
    await openApp(page, { audit: AUDIT, hold: ["verify_audit"] });
    await page.getByTestId("nav-audit").click();
    await expect(page.getByTestId("audit-chain-checking")).toBeAttached();
    await backend(page).hold("verify_audit", false);
    await backend(page).release("verify_audit");
    const chain = page.getByTestId("audit-chain");
    await expect(chain).toHaveAttribute("data-intact", "true");
    await expect(chain).toContainText("Verified up to event a-6 (#6, session.close");
    await expect(chain).toContainText("6 events, each chained to the one before it by its hash");

    await backend(page).setAuditChain(AUDIT_CHAIN_DELETED);
    await chain.getByTestId("audit-chain-again").click();
    await expect(chain).toHaveAttribute("data-intact", "false");
    await expect(chain).toHaveAttribute("role", "alert");
    await expect(chain).toContainText("The audit trail was tampered with");
    await expect(chain).toContainText("Events are missing before event a-5");
    await expect(chain).toContainText("position 4");
    await expect(chain).toContainText("Keep the database and this report as they are");
    await expect(chain).toContainText("Verified up to event a-3 (#3, admin.activate");
    await expect(page.getByTestId("audit-row")).toHaveCount(6);
    await shot(page, "audit-chain-broken");
  });

  test.describe("dark theme", () => {
    test.use({ colorScheme: "dark" });

    test("the chain's warning and its verified line are readable", async ({ page }) => {
      await openApp(page, { audit: AUDIT, auditChain: AUDIT_CHAIN_DELETED });
      await page.getByTestId("nav-audit").click();
      const chain = page.getByTestId("audit-chain");
      await expect(chain).toContainText("The audit trail was tampered with");
      await expect(chain).toContainText("Verified up to event a-3 (#3, admin.activate");
      await shot(page, "dark-audit-chain-broken");
    });
  });

  test("empty: nothing matches", async ({ page }) => {
    await openApp(page, { audit: [] });
    await page.getByTestId("nav-audit").click();
    await expect(page.getByTestId("audit-empty")).toContainText("No audit events match");
    await expect(page.getByTestId("audit-export")).toHaveAttribute("aria-disabled", "true");
  });

  test("a failed load and a failed export show the message and the fix", async ({ page }) => {
    await openApp(page, {
      audit: AUDIT,
      errors: {
        list_audit: { code: "service_failed", message: "The audit store cannot be read.", fix: "Check the store setting.", details: null },
        export_audit: { code: "internal", message: "Downloads is not writable.", fix: "Free some disk space.", details: null },
      },
    });
    await page.getByTestId("nav-audit").click();
    const notice = page.getByTestId("audit-error");
    await expect(notice).toContainText("The audit store cannot be read.");
    await expect(notice).toContainText("Check the store setting.");
    await backend(page).fail("list_audit", null);
    await notice.getByRole("button", { name: "Retry" }).click();
    await expect(page.getByTestId("audit-row")).toHaveCount(6);
    await page.getByTestId("audit-export").click();
    await expect(page.getByTestId("audit-export-error")).toContainText("Downloads is not writable.");
    await expect(page.getByTestId("audit-export-error")).toContainText("Free some disk space.");
  });
});

test.describe("settings view", () => {
  test("loading, then the values and where they come from; a saved value says a restart applies it", async ({ page }) => {
    await openApp(page, { hold: ["get_settings"] });
    await page.getByTestId("nav-settings").click();
    await expect(page.getByTestId("settings-loading")).toBeVisible();
    await backend(page).hold("get_settings", false);
    await backend(page).release("get_settings");
    await expect(page.getByTestId("setting-source-store.url")).toContainText("HELPATWORK_DATABASE_URL");
    await page.getByTestId("setting-input-desktop.teamviewer_home").fill("/opt/teamviewer");
    await page.getByTestId("setting-save-desktop.teamviewer_home").click();
    await expect(page.getByTestId("setting-desktop.teamviewer_home")).toContainText("Restart Help@Work Desk to apply this change.");
    expect(await backend(page).callsOf("set_setting")).toEqual([{ key: "desktop.teamviewer_home", value: "/opt/teamviewer" }]);
  });

  test("a failed load, a refused value and a failed connection test show the message and the fix", async ({ page }) => {
    await openApp(page, {
      errors: {
        get_settings: { code: "internal", message: "The settings file is not valid JSON.", fix: "Fix or delete the file.", details: null },
        set_setting: { code: "invalid_input", message: "That is not a folder.", fix: "Choose the folder TeamViewer is installed in.", details: null },
        test_setting: { code: "service_failed", message: "TeamViewer refused the client ID.", fix: "Register the app again.", details: null },
      },
    });
    await page.getByTestId("nav-settings").click();
    const notice = page.getByTestId("settings-error");
    await expect(notice).toContainText("The settings file is not valid JSON.");
    await expect(notice).toContainText("Fix or delete the file.");
    await backend(page).fail("get_settings", null);
    await notice.getByRole("button", { name: "Retry" }).click();

    await page.getByTestId("setting-input-desktop.teamviewer_home").fill("/nowhere");
    await page.getByTestId("setting-save-desktop.teamviewer_home").click();
    const field = page.getByTestId("setting-desktop.teamviewer_home");
    await expect(field).toContainText("That is not a folder.");
    await expect(field).toContainText("Choose the folder TeamViewer is installed in.");

    await page.getByTestId("test-button-teamviewer").click();
    await expect(page.getByTestId("test-error-teamviewer")).toContainText("TeamViewer refused the client ID.");
    await expect(page.getByTestId("test-error-teamviewer")).toContainText("Register the app again.");
    await backend(page).fail("test_setting", null);
    await page.getByTestId("test-button-teamviewer").click();
    await expect(page.getByTestId("test-ok-teamviewer")).toContainText("The teamviewer connection works.");
  });
});

test.describe("audit streaming (SIEM sinks)", () => {
  const down = {
    id: "splunk",
    config: { kind: "syslog" as const, host: "siem.example", port: 6514, tls: true, ca_file: null, app_name: "helpatwork", hostname: "desk-01" },
    bearer_set: false,
    pending: 1250,
    oldest_at: "2026-11-20T08:00:00.000Z",
    oldest_age_seconds: 7200,
    attempts: 9,
    last_error: "could not connect to syslog siem.example:6514: Connection refused",
    last_error_at: "2026-11-20T09:59:00.000Z",
    next_attempt_at: "2026-11-20T10:04:00.000Z",
    delivered: 310,
    last_delivered_at: "2026-11-20T08:00:00.000Z",
  };

  test("a sink that is down shows its backlog and error; Send now delivers; a refused sink shows the fix", async ({ page }) => {
    await openApp(page, { sinks: [down] });
    await page.getByTestId("nav-settings").click();
    await expect(page.getByTestId("sink-splunk-backlog")).toContainText("1,250 pending, oldest 7,200 s ago");
    await expect(page.getByTestId("sink-splunk-error")).toContainText("Connection refused");
    await page.getByTestId("sinks-send").click();
    await expect(page.getByTestId("sinks-sent")).toContainText("splunk: 1,250 sent, 0 pending (delivered)");
    await expect(page.getByTestId("sink-splunk-backlog")).toContainText("0 pending · 1,560 delivered");

    await page.getByTestId("sink-form-id").fill("hook");
    await page.getByTestId("sink-form-kind").selectOption("webhook");
    await page.getByTestId("sink-form-url").fill("http://siem.example/in");
    await page.getByTestId("sink-form-save").click();
    await expect(page.getByTestId("sink-form-error")).toContainText("https://");
    await page.getByTestId("sink-form-url").fill("https://siem.example/in");
    await page.getByTestId("sink-form-bearer").fill("s3cret");
    await page.getByTestId("sink-form-save").click();
    await expect(page.getByTestId("sink-hook")).toContainText("webhook https://siem.example/in");
    expect((await backend(page).callsOf("put_audit_sink")).at(-1)).toMatchObject({ sink: { id: "hook", bearer: "s3cret" } });
  });
});
