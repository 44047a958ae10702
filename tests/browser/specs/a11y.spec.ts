/**
 * The accessibility linter (axe-core) on each main view and each open dialog, in the light and
 * the dark theme. Any serious or critical violation fails; the others are printed.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { activation, ANDROID, ANDROID_OLD_APP, AUDIT, AUDIT_CHAIN_DELETED, IOS, platinumAdmin, session, SIGNED_OUT } from "../mock/fixtures";
import { openApp, openDevices, openModeDialog } from "../support";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

async function audit(page: Page, name: string): Promise<void> {
  // Let transitions and the delayed "loading" lines settle before the colours are read.
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const lines = results.violations.map(
    (v) =>
      `${v.impact ?? "?"} ${v.id}: ${v.help}\n` +
      v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`)
        .join("\n"),
  );
  if (lines.length > 0) console.log(`[a11y] ${name}\n  ${lines.join("\n  ")}`);
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), name).toEqual(
    [],
  );
}

const SESSIONS = [
  session({ id: "s-active", state: "active", created_at: "2026-11-20T12:05:00Z" }),
  session({ id: "s-lost", device_id: "and-002", state: "lost", created_at: "2026-11-20T11:00:00Z" }),
  session({
    id: "s-ios",
    device_id: "ios-001",
    state: "waiting",
    expires_at: "2099-01-01T00:00:00Z",
    delivery: "end_customer_link",
    launched: false,
    created_at: "2026-11-20T10:00:00Z",
  }),
];

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test("devices list, detail panel and Actions menu", async ({ page }) => {
      await openDevices(page, { auth: SIGNED_OUT });
      await audit(page, `${scheme}: devices list`);
      await page.locator(`[data-testid="device-row"][data-device-id="${IOS.id}"]`).click();
      await expect(page.getByTestId("actions-button")).toBeVisible();
      await audit(page, `${scheme}: device detail`);
      await page.getByTestId("actions-button").click();
      await expect(page.getByRole("menu")).toBeVisible();
      await audit(page, `${scheme}: Actions menu`);
    });

    test("mode dialog with preflight (passing and blocked), sign-in prompt", async ({ page }) => {
      await openDevices(page, { auth: SIGNED_OUT });
      await openModeDialog(page, IOS.id);
      await expect(page.getByTestId("preflight-checklist")).toBeVisible();
      await audit(page, `${scheme}: mode dialog (iOS, sign-in needed)`);
      await page.getByTestId("start-button").click();
      await expect(page.getByTestId("sign-in-continue")).toBeVisible();
      await audit(page, `${scheme}: mode dialog, sign-in prompt`);
      await page.keyboard.press("Escape");
      await page.keyboard.press("Escape");
      await openModeDialog(page, ANDROID_OLD_APP.id);
      await expect(page.getByTestId("start-blocked")).toBeVisible();
      await audit(page, `${scheme}: mode dialog, preflight blocked`);
    });

    test("session panel", async ({ page }) => {
      await openDevices(page, { startOverrides: { delivery: "end_customer_link", launched: false } });
      await openModeDialog(page, ANDROID.id);
      await page.getByTestId("start-button").click();
      await expect(page.getByTestId("session-panel")).toBeVisible();
      await audit(page, `${scheme}: session panel`);
    });

    test("sessions view with a session open", async ({ page }) => {
      await openApp(page, { sessions: SESSIONS });
      await page.getByTestId("nav-sessions").click();
      await expect(page.getByTestId("session-row")).toHaveCount(3);
      await audit(page, `${scheme}: sessions view`);
      await page.locator('[data-session-id="s-ios"] button').click();
      await expect(page.getByTestId("session-panel")).toBeVisible();
      await audit(page, `${scheme}: sessions view, session detail`);
    });

    test("help requests, the hand-over dialog and the device's Host", async ({ page }) => {
      const request = {
        code: "s555-000-001",
        end_customer_name: "Ana Souza",
        end_customer_email: "ana@example.com",
        description: "The scanner app does not open",
        created_at: "2026-11-20T11:50:00Z",
        waiting_seconds: 600,
        online: true,
        device_id: ANDROID.id,
        device_name: ANDROID.name,
        matched_by: "email",
        candidates: 1,
        unknown_device: false,
      };
      const host = {
        device_id: ANDROID.id,
        expected_alias: `${ANDROID.name} [hw:${ANDROID.id}]`,
        matched: false,
        remotecontrol_id: null,
        teamviewer_id: null,
        alias: null,
        matched_by: null,
        confirmed_by: null,
        assigned: false,
        online_state: null,
        last_seen: null,
        checked_at: null,
        candidates: [{ remotecontrol_id: "r987654321", alias: ANDROID.name, online_state: "offline" }],
        note: null,
      };
      await openApp(page, {
        details: [{ ...ANDROID, host }, IOS],
        sessions: [session({ id: "s-mine", state: "active", teamviewer_userid: "u-1001" })],
        requests: [request, { ...request, code: "s555-000-002", device_id: null, device_name: null, matched_by: null, unknown_device: true, online: false }],
        agents: [{ agent: "tier2.agent", userid: "u-2002", name: "Tia Tier Two", email: null, last_seen_at: "2026-11-20T11:00:00Z", me: false }],
      });
      await expect(page.getByTestId("inbox-badge")).toHaveText("2");
      await page.getByTestId("nav-inbox").click();
      await expect(page.getByTestId("request-row")).toHaveCount(2);
      await audit(page, `${scheme}: help requests`);
      await page.getByTestId("nav-sessions").click();
      await page.locator('[data-session-id="s-mine"] button').click();
      await page.getByTestId("session-hand-over").click();
      await expect(page.getByTestId("handover-agent")).toBeVisible();
      await audit(page, `${scheme}: hand-over dialog`);
      await page.keyboard.press("Escape");
      await page.getByTestId("nav-devices").click();
      await page.locator(`[data-testid="device-row"][data-device-id="${ANDROID.id}"]`).click();
      await expect(page.getByTestId("host-candidate")).toBeVisible();
      await audit(page, `${scheme}: device's Host, not matched`);
    });

    test("admin view (locked and unlocked) and the EULA dialog", async ({ page }) => {
      await openApp(page, {
        admin: { ...platinumAdmin(), tier: "gold", activations: [activation("attended", false), activation("unattended", false)] },
      });
      await page.getByTestId("nav-admin").click();
      await expect(page.getByTestId("locked-banner")).toBeVisible();
      await audit(page, `${scheme}: admin view, locked`);
      await page.getByTestId("tier-select").selectOption("platinum");
      await expect(page.getByTestId("locked-banner")).toHaveCount(0);
      await page.getByTestId("activate-attended").click();
      await expect(page.getByTestId("eula-text")).toBeVisible();
      await audit(page, `${scheme}: EULA dialog`);
    });

    test("audit view and settings view", async ({ page }) => {
      await openApp(page, { audit: AUDIT });
      await page.getByTestId("nav-audit").click();
      await expect(page.getByTestId("audit-row")).toHaveCount(AUDIT.length);
      await audit(page, `${scheme}: audit view`);
      await page.getByTestId("audit-export").click();
      await expect(page.getByTestId("audit-export-status")).toContainText("saved as CSV");
      await audit(page, `${scheme}: audit view, exported`);
      await openApp(page, { audit: AUDIT, auditChain: AUDIT_CHAIN_DELETED });
      await page.getByTestId("nav-audit").click();
      await expect(page.getByTestId("audit-chain")).toHaveAttribute("data-intact", "false");
      await audit(page, `${scheme}: audit view, chain broken`);
      await page.getByTestId("nav-settings").click();
      await expect(page.getByTestId("settings-view")).toBeVisible();
      await expect(page.getByTestId("setting-source-store.url")).toBeVisible();
      await page.getByTestId("test-button-store").click();
      await expect(page.getByTestId("test-ok-store")).toBeVisible();
      await audit(page, `${scheme}: settings view`);
    });

    test("error states", async ({ page }) => {
      await openApp(page, {
        errors: {
          list_devices: { code: "internal", message: "The device store is locked.", fix: "Close the other window.", details: null },
        },
      });
      await expect(page.getByTestId("devices-error")).toBeVisible();
      await audit(page, `${scheme}: devices error`);
    });
  });
}
