/**
 * Support policies and four eyes in the built UI: the start dialog's ticket field (checked as
 * it is typed), the held unattended start, the Approvals list another agent decides in, and
 * the policies editor in Settings; keyboard only and axe in the light and the dark theme.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import type { Approval } from "../../../ui/src/bindings/Approval";
import type { PolicyEntry } from "../../../ui/src/bindings/PolicyEntry";
import { ANDROID } from "../mock/fixtures";
import { backend, expectVisibleFocus, openApp, openDevices, openModeDialog } from "../support";

const TICKETS: PolicyEntry = {
  policy: {
    name: "Tickets",
    group: {},
    reason_required: false,
    ticket_pattern: "INC\\d{7}",
    unattended: "approval",
    approval_minutes: 30,
    personal_view_only: false,
  },
  updated_at: "2026-12-06T12:00:00Z",
  updated_by: "maria.admin",
};

const REQUEST: Approval = {
  id: "appr-7",
  device_id: ANDROID.id,
  mode: "unattended",
  requester: "tier2.agent",
  reason: "scanner hangs",
  ticket: "INC0000007",
  policies: ["Tickets"],
  approval_minutes: 30,
  state: "pending",
  requested_at: "2026-12-06T12:00:00Z",
  expires_at: "2099-12-06T12:30:00Z",
  decided_by: null,
  decided_at: null,
  decision_reason: null,
  session_id: null,
  mine: false,
};

async function noSeriousViolations(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(250);
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), name).toEqual([]);
}

for (const colorScheme of ["light", "dark"] as const) {
  test.describe(`${colorScheme} theme`, () => {
    test.use({ colorScheme });

    test("the ticket field: required by the policy, checked as it is typed, sent with the start", async ({ page }) => {
      await openDevices(page, { policies: [TICKETS] });
      await openModeDialog(page, ANDROID.id);
      const ticket = page.getByTestId("ticket-input");
      await expect(ticket).toBeVisible();
      await expect(ticket).toHaveAccessibleDescription("Required by Tickets: the whole reference matches INC\\d{7}.");
      await ticket.focus();
      await page.keyboard.type("INC12");
      await expect(page.getByTestId("ticket-error")).toHaveText("The reference does not match INC\\d{7}.");
      await noSeriousViolations(page, `${colorScheme}: ticket field with an error`);
      await ticket.fill("INC0012345");
      await expect(page.getByTestId("ticket-error")).toHaveCount(0);
      await page.getByTestId("start-button").focus();
      await expectVisibleFocus(page);
      await page.keyboard.press("Enter");
      await expect(page.getByTestId("session-ticket")).toContainText("INC0012345");
      expect((await backend(page).callsOf("start_session")).at(-1)).toMatchObject({ ticket: "INC0012345" });
    });

    test("four eyes: the held start says awaiting approval; another agent approves in Approvals", async ({ page }) => {
      await openDevices(page, { policies: [TICKETS], approvals: [REQUEST] });
      await openModeDialog(page, ANDROID.id);
      await page.getByTestId("mode-unattended").click();
      await expect(page.getByTestId("policy-four-eyes")).toBeVisible();
      await page.getByTestId("ticket-input").fill("INC0000001");
      await page.getByTestId("start-button").click();
      await expect(page.getByTestId("start-error")).toContainText("Awaiting approval");
      await expect(page.getByTestId("awaiting-approval")).toBeVisible();
      await noSeriousViolations(page, `${colorScheme}: awaiting approval`);
      await page.keyboard.press("Escape");

      await page.getByTestId("nav-approvals").click();
      // The agent's own request: another agent decides it.
      await expect(page.getByTestId("approval-mine")).toHaveCount(1);
      const other = page.locator('[data-testid="approval-row"][data-id="appr-7"]');
      await noSeriousViolations(page, `${colorScheme}: approvals`);
      // Keyboard only: from the refusal's reason field back to Approve.
      await other.getByTestId("approval-refuse-reason").focus();
      await page.keyboard.press("Shift+Tab");
      await expect(other.getByTestId("approval-approve")).toBeFocused();
      await expectVisibleFocus(page);
      await page.keyboard.press("Enter");
      await expect(other.getByTestId("approval-state")).toContainText("Approved");
      expect(await backend(page).callsOf("approve_start")).toEqual([{ id: "appr-7" }]);
    });

    test("the policies editor: an invalid pattern is said in place; a valid policy is saved and listed", async ({ page }) => {
      await openApp(page);
      await page.getByTestId("nav-settings").click();
      const section = page.getByTestId("settings-policies");
      await section.getByTestId("policy-add").click();
      await section.getByTestId("policy-name").fill("BYOD");
      await section.getByTestId("policy-ticket-pattern").fill("INC(");
      await expect(section.getByRole("alert")).toHaveText("Not a valid regular expression.");
      await noSeriousViolations(page, `${colorScheme}: policy editor`);
      await section.getByTestId("policy-ticket-pattern").fill("");
      await section.getByTestId("policy-ownership").selectOption("personal");
      await section.getByTestId("policy-view-only").check();
      await section.getByTestId("policy-hours-on").check();
      await section.getByTestId("policy-time-zone").fill("America/Sao_Paulo");
      await section.getByTestId("policy-range-add").click();
      await section.getByTestId("policy-range").nth(1).getByTestId("policy-day-sat").uncheck();
      await expect(section.getByTestId("policy-range").nth(1).getByRole("alert")).toHaveText("Choose at least one day.");
      await noSeriousViolations(page, `${colorScheme}: policy editor, allowed hours`);
      await section.getByTestId("policy-range-remove").nth(1).click();
      await section.getByTestId("policy-save").click();
      await expect(section.getByTestId("policy-item")).toContainText("BYOD");
      await expect(section.getByTestId("policy-item")).toContainText("Allowed hours: Mon, Tue, Wed, Thu, Fri 08:00–18:00 (America/Sao_Paulo)");
      expect((await backend(page).callsOf("set_policy")).at(-1)).toMatchObject({
        policy: {
          name: "BYOD",
          group: { ownership: "personal" },
          personal_view_only: true,
          hours: { time_zone: "America/Sao_Paulo", windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "08:00", to: "18:00" }] },
        },
      });
    });
  });
}
