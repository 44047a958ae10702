import { screen, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import type { ArmedSession } from "../../bindings/ArmedSession";
import { ANDROID_DEVICE, apiError, IOS_DEVICE, makeSession, type FakeOptions } from "../../test/fakeBackend";
import { openActions, openDevice, renderApp } from "../../test/render";

/** Not reachable, last seen two days ago: offline for the product (`DeviceDetail.online`). */
const OFFLINE = { ...ANDROID_DEVICE, online: false, last_checkin: new Date(Date.now() - 2 * 86_400_000).toISOString() };

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

describe("the start dialog offers to arm", () => {
  test("online: Start now is chosen; the arm choice calls arm_session with the chosen wait", async () => {
    const { user, dialog, backend } = await setup();
    const now = within(dialog).getByTestId("when-now");
    const later = within(dialog).getByTestId("when-later");
    expect(now).toBeChecked();
    expect(later).not.toBeChecked();
    expect(within(dialog).queryByTestId("arm-offline")).not.toBeInTheDocument();
    expect(within(dialog).getByTestId("start-button")).toHaveTextContent("Start");
    expect(within(dialog).getByRole("group", { name: "When" })).toBeInTheDocument();

    await user.click(later);
    const within8 = within(dialog).getByTestId("arm-within");
    expect(within8).toHaveValue("4");
    expect(within(within8).getAllByRole("option").map((o) => o.textContent)).toEqual(["1 hour", "4 hours", "8 hours", "24 hours"]);
    await user.selectOptions(within8, "8");
    await user.type(within(dialog).getByTestId("reason-input"), "Scanner app");
    const submit = within(dialog).getByTestId("start-button");
    expect(submit).toHaveTextContent("Arm session");
    await user.click(submit);

    expect(backend.callsOf("arm_session")).toEqual([
      { deviceId: "and-001", mode: "attended", reason: "Scanner app", ticket: null, withinMinutes: 480 },
    ]);
    expect(backend.callsOf("start_session")).toEqual([]);
    expect(await within(dialog).findByTestId("arm-done")).toHaveTextContent(
      "Armed: the session starts by itself when Ana's Galaxy next checks in",
    );
    expect(within(dialog).queryByTestId("start-button")).not.toBeInTheDocument();
    // The device panel behind the dialog names the armed session (the window's armed list, read again).
    expect(await screen.findByTestId("device-armed")).toHaveTextContent("Armed by");
  });

  test("offline: the arm choice is pre-selected and says why; Arm session waits 4 hours by default", async () => {
    const { user, dialog, backend } = await setup({ details: [OFFLINE, IOS_DEVICE] });
    const later = within(dialog).getByTestId("when-later");
    expect(later).toBeChecked();
    const why = within(dialog).getByTestId("arm-offline");
    expect(why).toHaveTextContent(/^The device is offline \(last check-in 2 days ago\)/);
    expect(later).toHaveAccessibleDescription(why.textContent);
    await user.click(within(dialog).getByTestId("start-button"));
    expect(backend.callsOf("arm_session")).toEqual([
      { deviceId: "and-001", mode: "attended", reason: "", ticket: null, withinMinutes: 240 },
    ]);
    // Start now is still the agent's to choose.
    expect(backend.callsOf("start_session")).toEqual([]);
  });

  test("offline, Start now chosen: the session starts now", async () => {
    const { user, dialog, backend } = await setup({ details: [OFFLINE, IOS_DEVICE] });
    await user.click(within(dialog).getByTestId("when-now"));
    await user.click(within(dialog).getByTestId("start-button"));
    expect(await within(dialog).findByTestId("session-panel")).toBeInTheDocument();
    expect(backend.callsOf("arm_session")).toEqual([]);
    expect(backend.callsOf("start_session")).toHaveLength(1);
  });

  test("unattended is not armed: no choice", async () => {
    const { user, dialog } = await setup();
    await user.click(within(dialog).getByTestId("mode-unattended"));
    expect(within(dialog).queryByTestId("arm-choice")).not.toBeInTheDocument();
    expect(within(dialog).getByTestId("start-button")).toHaveTextContent("Start");
  });

  test("held by another agent's armed session: the conflict with its fix", async () => {
    const bruno: ArmedSession = {
      id: "armed-7",
      device_id: "and-001",
      mode: "attended",
      agent: "bruno",
      reason: "Printer",
      ticket: null,
      state: "armed",
      armed_at: new Date().toISOString(),
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      armed_checkin: new Date().toISOString(),
      rearm_of: null,
      ended_at: null,
      ended_by: null,
      session_id: null,
      error: null,
    };
    const { user, dialog, backend } = await setup({ armed: [bruno] });
    // The device panel names the armed session holding the device.
    expect(await screen.findByTestId("device-armed")).toHaveTextContent("Armed by bruno");
    await user.click(within(dialog).getByTestId("when-later"));
    await user.click(within(dialog).getByTestId("start-button"));
    const error = await within(dialog).findByTestId("start-error");
    expect(error).toHaveAttribute("data-error-code", "conflict");
    expect(error).toHaveTextContent("The device is held by an armed session (armed-7) of bruno.");
    expect(error).toHaveTextContent("Ask bruno to cancel it.");
    // Not an open session's holder: no "has an open session" line.
    expect(within(error).queryByTestId("session-holder")).not.toBeInTheDocument();
    expect(backend.callsOf("arm_session")).toHaveLength(1);
  });

  test("a blocked arm lists the checks with their fixes", async () => {
    const check = { rule: "A1", status: "block", message: "The device is not enrolled.", fix: "Enrol the device fully in the MDM." } as const;
    const { user, dialog } = await setup({
      errors: {
        arm_session: apiError("blocked", "The session cannot start on this device.", "Fix the blocked checks.", { kind: "checks", checks: [check] }),
      },
    });
    await user.click(within(dialog).getByTestId("when-later"));
    await user.click(within(dialog).getByTestId("start-button"));
    const error = await within(dialog).findByTestId("start-error");
    expect(error).toHaveTextContent("The session was not armed");
    expect(within(error).getByTestId("preflight-checks")).toHaveTextContent("Enrol the device fully in the MDM.");
  });

  test("pt-BR: the choice in Portuguese", async () => {
    const { dialog } = await setup({ lang: "pt-BR", details: [OFFLINE, IOS_DEVICE], sessions: [makeSession({ state: "closed" })] });
    expect(within(dialog).getByText("Iniciar no próximo check-in do dispositivo")).toBeInTheDocument();
    expect(within(dialog).getByTestId("arm-offline")).toHaveTextContent("O dispositivo está offline");
    expect(within(dialog).getByTestId("start-button")).toHaveTextContent("Armar sessão");
  });
});
