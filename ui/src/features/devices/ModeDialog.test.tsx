import { screen, waitFor, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import { apiError, type FakeOptions } from "../../test/fakeBackend";
import { openActions, openDevice, renderApp } from "../../test/render";

async function openModeDialog(user: UserEvent, id: string, name: string) {
  const panel = await openDevice(user, id, name);
  const menu = await openActions(user, panel);
  await user.click(within(menu).getByTestId("remote-action"));
  return screen.findByTestId("mode-dialog");
}

async function setup(options: FakeOptions = {}, id = "and-001", name = "Ana's Galaxy") {
  const rendered = await renderApp(options);
  const dialog = await openModeDialog(rendered.user, id, name);
  return { ...rendered, dialog };
}

describe("mode dialog (S2)", () => {
  test("S2: Attended mode (default) is preselected and focused; the dialog is a labelled modal", async () => {
    const { dialog } = await setup();
    expect(dialog).toHaveAttribute("role", "dialog");
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveAccessibleName("Start a session on Ana's Galaxy");
    const attended = within(dialog).getByTestId("mode-attended");
    expect(attended).toHaveTextContent("Attended mode (default)");
    expect(attended).toHaveAttribute("aria-pressed", "true");
    expect(attended).toHaveFocus();
    const unattended = within(dialog).getByTestId("mode-unattended");
    expect(unattended).toHaveTextContent("Unattended mode (Android only)");
    expect(unattended).toHaveAttribute("aria-pressed", "false");
    expect(unattended).not.toHaveAttribute("aria-disabled");
  });

  test("S2: Unattended mode is disabled on iOS, with the reason", async () => {
    const { user, dialog } = await setup({}, "ios-001", "Bruno's iPhone");
    const unattended = within(dialog).getByTestId("mode-unattended");
    expect(unattended).toHaveAttribute("aria-disabled", "true");
    expect(unattended).toHaveAccessibleDescription("Unattended mode is available only on Android devices.");
    await user.click(unattended);
    expect(unattended).toHaveAttribute("aria-pressed", "false");
    expect(within(dialog).getByTestId("mode-attended")).toHaveAttribute("aria-pressed", "true");
  });

  test("Esc closes the dialog and returns focus to the Actions button", async () => {
    const { user } = await setup();
    await user.keyboard("{Escape}");
    await waitFor(() => {
      expect(screen.queryByTestId("mode-dialog")).not.toBeInTheDocument();
    });
    // The panel stays open: Esc belonged to the dialog.
    expect(screen.getByTestId("device-detail")).toBeInTheDocument();
    expect(screen.getByTestId("actions-button")).toHaveFocus();
  });

  test("focus is trapped: Tab from the last control wraps to the first", async () => {
    const { user, dialog } = await setup();
    const start = within(dialog).getByTestId("start-button");
    start.focus();
    await user.tab();
    expect(within(dialog).getByTestId("mode-attended")).toHaveFocus();
    await user.tab({ shift: true });
    expect(start).toHaveFocus();
  });

  test("S2: Unattended on Android, with a reason: Start sends them and shows the session code and state", async () => {
    const { user, dialog, backend } = await setup();
    await user.click(within(dialog).getByTestId("mode-unattended"));
    expect(within(dialog).getByTestId("mode-unattended")).toHaveAttribute("aria-pressed", "true");
    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "INC-1234 screen frozen");
    await user.click(within(dialog).getByTestId("start-button"));
    const result = within(dialog).getByTestId("start-result");
    await waitFor(() => {
      expect(result).toHaveTextContent("s123-456-789");
    });
    expect(result).toHaveTextContent("Delivered to device");
    expect(backend.calls.find((c) => c.cmd === "start_session")?.args).toEqual({
      deviceId: "and-001",
      mode: "unattended",
      reason: "INC-1234 screen frozen",
    });
  });

  test("Start shows a typed error's message and fix", async () => {
    const { user, dialog } = await setup({
      startSession: () => {
        throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
      },
    });
    await user.click(within(dialog).getByTestId("start-button"));
    const error = await within(dialog).findByTestId("start-error");
    expect(error).toHaveAttribute("data-error-code", "sign_in_needed");
    expect(error).toHaveTextContent("You are not signed in to TeamViewer.");
    expect(error).toHaveTextContent("Sign in to TeamViewer and grant permissions.");
    expect(within(dialog).queryByTestId("preflight-checks")).not.toBeInTheDocument();
  });

  test("Start blocked by preflight lists the checks as a checklist", async () => {
    const checks = [
      { rule: "S10", status: "block", message: "QuickSupport is not installed.", fix: "Distribute QuickSupport" },
      { rule: "S7", status: "warn", message: "Pixel devices ask for consent every session.", fix: null },
      { rule: "online", status: "pass", message: "The device is online.", fix: null },
    ];
    const { user, dialog } = await setup({
      startSession: () => {
        throw apiError("blocked", "The session cannot start: 1 check blocks it.", "Fix the blocking checks.", { checks });
      },
    });
    await user.click(within(dialog).getByTestId("start-button"));
    const list = await within(dialog).findByTestId("preflight-checks");
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(3);
    expect(items[0]).toHaveTextContent("S10");
    expect(items[0]).toHaveTextContent("QuickSupport is not installed.");
    expect(items[0]).toHaveTextContent("Distribute QuickSupport");
    expect(items[0]).toHaveClass("check--block");
    expect(items[1]).toHaveClass("check--warn");
    expect(within(dialog).getByTestId("start-error")).toHaveTextContent("Fix the blocking checks.");
  });
});
