import { screen, waitFor, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import type { AuthStatus } from "../../bindings/AuthStatus";
import type { Check } from "../../bindings/Check";
import {
  apiError,
  makeActivation,
  makeSession,
  NOT_CONFIGURED,
  SESSION_CODE,
  SIGNED_IN,
  SIGNED_OUT,
  type FakeOptions,
} from "../../test/fakeBackend";
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

  test("S2: Unattended on Android, with a reason: Start sends them and shows the session panel", async () => {
    const { user, dialog, backend } = await setup();
    await user.click(within(dialog).getByTestId("mode-unattended"));
    expect(within(dialog).getByTestId("mode-unattended")).toHaveAttribute("aria-pressed", "true");
    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "INC-1234 screen frozen");
    await user.click(within(dialog).getByTestId("start-button"));
    const panel = await within(dialog).findByTestId("session-panel");
    expect(within(panel).getByTestId("session-code")).toHaveTextContent(SESSION_CODE);
    expect(within(panel).getByTestId("session-state")).toHaveTextContent("Delivered to device");
    expect(within(panel).getByTestId("session-mode")).toHaveTextContent("Unattended");
    expect(within(panel).getByTestId("session-reason")).toHaveTextContent("INC-1234 screen frozen");
    expect(panel).toHaveTextContent("Created");
    // Android sessions do not expire (S5 is iOS only).
    expect(within(panel).queryByTestId("session-countdown")).not.toBeInTheDocument();
    // The form is replaced; the dialog says what it shows now and focus stays inside it.
    expect(dialog).toHaveAccessibleName("TeamViewer session on Ana's Galaxy");
    expect(within(dialog).queryByTestId("start-button")).not.toBeInTheDocument();
    expect(within(panel).getByRole("heading", { name: "Session code" })).toHaveFocus();
    expect(backend.calls.find((c) => c.cmd === "start_session")?.args).toEqual({
      deviceId: "and-001",
      mode: "unattended",
      reason: "INC-1234 screen frozen",
      ticket: null,
    });
  });

  test("Start shows a typed error's message and fix", async () => {
    const { user, dialog } = await setup({
      answers: {
        start_session: () => {
          throw apiError("sign_in_needed", "You are not signed in to TeamViewer.", "Sign in to TeamViewer and grant permissions.");
        },
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
    const checks: Check[] = [
      { rule: "S10", status: "block", message: "QuickSupport is not installed.", fix: "Distribute QuickSupport" },
      { rule: "S7", status: "warn", message: "Pixel devices ask for consent every session.", fix: null },
      { rule: "online", status: "pass", message: "The device is online.", fix: null },
    ];
    const { user, dialog } = await setup({
      answers: {
        start_session: () => {
          throw apiError("blocked", "The session cannot start: 1 check blocks it.", "Fix the blocking checks.", { kind: "checks", checks });
        },
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

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("sign-in that continues the start (S3)", () => {
  test("S3: sign-in needed → sign in → the start continues by itself", async () => {
    const browser = deferred<AuthStatus>();
    const { user, dialog, backend } = await setup({ auth: SIGNED_OUT, answers: { sign_in: () => browser.promise } });
    expect(screen.getByTestId("account-area")).toHaveTextContent("Not signed in");
    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "INC-77");
    await user.click(within(dialog).getByTestId("start-button"));

    const error = await within(dialog).findByTestId("start-error");
    expect(error).toHaveAttribute("data-error-code", "sign_in_needed");
    expect(error).toHaveTextContent("Sign in to TeamViewer to start the session");
    expect(error).toHaveTextContent("You are not signed in to TeamViewer.");
    const continueButton = within(error).getByTestId("sign-in-continue");
    expect(continueButton).toHaveTextContent("Sign in to TeamViewer and continue");

    await user.click(continueButton);
    // The browser round trip is running: say so, and do not start a second one.
    expect(await within(dialog).findByText("Waiting for the browser…")).toBeInTheDocument();
    expect(continueButton).toHaveAttribute("aria-disabled", "true");
    await user.click(continueButton);
    expect(backend.callsOf("sign_in")).toHaveLength(1);

    browser.resolve(SIGNED_IN);
    const panel = await within(dialog).findByTestId("session-panel");
    expect(within(panel).getByTestId("session-code")).toHaveTextContent(SESSION_CODE);
    expect(within(dialog).queryByTestId("start-error")).not.toBeInTheDocument();

    const starts = backend.callsOf("start_session");
    expect(starts).toHaveLength(2);
    expect(starts[1]).toEqual(starts[0]);
    expect(starts[1]).toEqual({ deviceId: "and-001", mode: "attended", reason: "INC-77", ticket: null });
    // The header's account area follows the shared sign-in.
    expect(screen.getByTestId("account-name")).toHaveTextContent("Alex Agent");
  });

  test("S3: when the sign-in fails, the start does not continue and both errors show", async () => {
    const { user, dialog, backend } = await setup({
      auth: SIGNED_OUT,
      answers: {
        sign_in: () => {
          throw apiError("service_failed", "TeamViewer did not answer the sign-in.", "Try again in a minute.");
        },
      },
    });
    await user.click(within(dialog).getByTestId("start-button"));
    await user.click(await within(dialog).findByTestId("sign-in-continue"));
    const signInError = await within(dialog).findByTestId("sign-in-error");
    expect(signInError).toHaveTextContent("The sign-in to TeamViewer did not finish");
    expect(signInError).toHaveTextContent("TeamViewer did not answer the sign-in.");
    expect(signInError).toHaveTextContent("Try again in a minute.");
    expect(within(dialog).getByTestId("start-error")).toHaveAttribute("data-error-code", "sign_in_needed");
    expect(within(dialog).getByTestId("sign-in-continue")).not.toHaveAttribute("aria-disabled");
    expect(backend.callsOf("start_session")).toHaveLength(1);
  });

  test("S3: without TeamViewer app credentials the sign-in cannot be offered, and the hint says why", async () => {
    // The checks could not be run (they would block on S3), so Start stays available.
    const { user, dialog, backend } = await setup({
      auth: NOT_CONFIGURED,
      answers: {
        preflight: () => {
          throw apiError("service_failed", "The checks timed out.", null);
        },
      },
    });
    await within(dialog).findByTestId("preflight-error");
    await user.click(within(dialog).getByTestId("start-button"));
    const continueButton = await within(dialog).findByTestId("sign-in-continue");
    expect(continueButton).toHaveAttribute("aria-disabled", "true");
    expect(continueButton).toHaveAccessibleDescription("Set the TeamViewer app credentials (docs/teamviewer.md).");
    await user.click(continueButton);
    expect(backend.callsOf("sign_in")).toHaveLength(0);
  });
});

describe("one open session per device", () => {
  test("conflict shows who holds the device, with the session's code and state", async () => {
    const holder = makeSession({ id: "sess-9", agent: "Bea Souza", code: "s987-654-321", state: "active" });
    const { user, dialog } = await setup({
      answers: {
        start_session: () => {
          throw apiError("conflict", "The device already has an open session.", "Wait until it ends.", { kind: "session_held", session: holder });
        },
      },
    });
    await user.click(within(dialog).getByTestId("start-button"));
    const error = await within(dialog).findByTestId("start-error");
    expect(error).toHaveAttribute("data-error-code", "conflict");
    expect(error).toHaveTextContent("Another session holds this device");
    expect(error).toHaveTextContent("Wait until it ends.");
    const box = within(error).getByTestId("session-holder");
    expect(box).toHaveTextContent("Bea Souza has an open session on this device.");
    expect(within(box).getByTestId("holder-code")).toHaveTextContent("s987-654-321");
    expect(within(box).getByTestId("holder-state")).toHaveTextContent("Active");
    expect(within(dialog).queryByTestId("sign-in-continue")).not.toBeInTheDocument();
  });
});

/** The live checklist's item for `rule`; throws (so `waitFor` retries) until it is there. */
function checkOf(dialog: HTMLElement, rule: string): HTMLElement {
  const item = within(dialog).getByTestId("preflight-checklist").querySelector<HTMLElement>(`[data-rule="${rule}"]`);
  if (!item) throw new Error(`no ${rule} check yet`);
  return item;
}

describe("live preflight checklist (S1–S12)", () => {
  const blockedChecks: Check[] = [
    { rule: "L1", status: "pass", message: "The tenant has the Platinum tier.", fix: null },
    { rule: "S10", status: "block", message: "QuickSupport is not installed.", fix: "Distribute QuickSupport" },
    { rule: "S7", status: "warn", message: "Pixel devices ask for consent every session.", fix: null },
  ];

  test("preflight checklist renders blocks and disables Start", async () => {
    const { user, dialog, backend } = await setup({
      answers: { preflight: ({ deviceId, mode }) => ({ device_id: deviceId, mode, ok: false, checks: blockedChecks }) },
    });
    const list = await within(dialog).findByTestId("preflight-checklist");
    expect(list).toHaveAccessibleName("Preflight checks");
    const items = within(list).getAllByTestId("preflight-check");
    expect(items.map((item) => [item.dataset.rule, item.dataset.status])).toEqual([
      ["L1", "pass"],
      ["S10", "block"],
      ["S7", "warn"],
    ]);
    expect(items[1]).toHaveTextContent("S10");
    expect(items[1]).toHaveTextContent("Blocks:");
    expect(items[1]).toHaveTextContent("QuickSupport is not installed.");
    expect(items[1]).toHaveTextContent("How to fix: Distribute QuickSupport");
    expect(items[2]).toHaveTextContent("Warning:");
    expect(within(dialog).getByTestId("preflight-summary")).toHaveTextContent("1 check blocks the start.");

    const start = within(dialog).getByTestId("start-button");
    expect(start).toHaveAttribute("aria-disabled", "true");
    expect(start).toHaveAccessibleDescription("Fix the blocked checks first");
    await user.click(start);
    expect(backend.callsOf("start_session")).toHaveLength(0);
    expect(backend.callsOf("preflight")).toEqual([{ deviceId: "and-001", mode: "attended", ticket: null }]);
  });

  test("the checks run again when the mode changes; Start follows the chosen mode", async () => {
    const { user, dialog, backend } = await setup({ admin: { activations: [makeActivation("attended", true)] } });
    const list = await within(dialog).findByTestId("preflight-checklist");
    expect(within(list).getByText("The attended mode is activated.")).toBeInTheDocument();
    expect(within(dialog).getByTestId("preflight-summary")).toHaveTextContent("Nothing blocks the start.");
    expect(within(dialog).getByTestId("start-button")).not.toHaveAttribute("aria-disabled");

    await user.click(within(dialog).getByTestId("mode-unattended"));
    const a1 = await waitFor(() => {
      const item = within(dialog).getByTestId("preflight-checklist").querySelector('[data-rule="A1"]');
      expect(item).toHaveAttribute("data-status", "block");
      return item;
    });
    expect(a1).toHaveTextContent("unattended mode is not activated.");
    expect(within(dialog).getByTestId("start-button")).toHaveAttribute("aria-disabled", "true");
    expect(within(dialog).getByTestId("start-blocked")).toHaveTextContent("Fix the blocked checks first");

    await user.click(within(dialog).getByTestId("mode-attended"));
    await waitFor(() => {
      expect(within(dialog).getByTestId("start-button")).not.toHaveAttribute("aria-disabled");
    });
    expect(backend.callsOf("preflight")).toEqual([
      { deviceId: "and-001", mode: "attended", ticket: null },
      { deviceId: "and-001", mode: "unattended", ticket: null },
      { deviceId: "and-001", mode: "attended", ticket: null },
    ]);
  });

  test("S3: a sign-in warning offers Sign in, which signs in and runs the checks again", async () => {
    const { user, dialog, backend } = await setup({ auth: SIGNED_OUT });
    const s3 = await waitFor(() => {
      const item = checkOf(dialog, "S3");
      expect(item).toHaveAttribute("data-status", "warn");
      return item;
    });
    // A warning does not block the start: it signs in and continues by itself.
    expect(within(dialog).getByTestId("start-button")).not.toHaveAttribute("aria-disabled");
    await user.click(within(s3).getByTestId("preflight-sign-in"));
    expect(backend.callsOf("sign_in")).toHaveLength(1);
    await waitFor(() => {
      expect(within(dialog).getByTestId("preflight-checklist").querySelector('[data-rule="S3"]')).toHaveAttribute(
        "data-status",
        "pass",
      );
    });
    expect(within(dialog).queryByTestId("preflight-sign-in")).not.toBeInTheDocument();
    expect(screen.getByTestId("account-name")).toHaveTextContent("Alex Agent");
  });

  test("S3: without TeamViewer app credentials the check blocks and no Sign in is offered", async () => {
    const { dialog } = await setup({ auth: NOT_CONFIGURED });
    const s3 = await waitFor(() => {
      const item = checkOf(dialog, "S3");
      expect(item).toHaveAttribute("data-status", "block");
      return item;
    });
    expect(s3).toHaveTextContent("TeamViewer is not configured.");
    expect(within(s3).queryByTestId("preflight-sign-in")).not.toBeInTheDocument();
    expect(within(dialog).getByTestId("start-button")).toHaveAttribute("aria-disabled", "true");
  });

  test("an open session on the device blocks with who holds it", async () => {
    const holder = makeSession({ id: "sess-7", agent: "Bea Souza", code: "s111-222-333", state: "active" });
    const { dialog } = await setup({ sessions: [holder] });
    const item = await waitFor(() => {
      const found = within(dialog).getByTestId("preflight-checklist").querySelector('[data-rule="open_session"]');
      expect(found).not.toBeNull();
      return found;
    });
    expect(item).toHaveTextContent("Bea Souza already has session s111-222-333 open (active).");
    expect(within(dialog).getByTestId("start-button")).toHaveAttribute("aria-disabled", "true");
  });

  test("when the checks cannot run, the error shows with Retry and Start stays available", async () => {
    let fail = true;
    const { user, dialog } = await setup({
      answers: {
        preflight: ({ deviceId, mode }) => {
          if (fail) throw apiError("service_failed", "The desktop client could not be probed.", "Try again.");
          return { device_id: deviceId, mode, ok: true, checks: blockedChecks.slice(0, 1) };
        },
      },
    });
    const error = await within(dialog).findByTestId("preflight-error");
    expect(error).toHaveTextContent("The checks could not be run");
    expect(error).toHaveTextContent("The desktop client could not be probed.");
    expect(within(dialog).getByTestId("start-button")).not.toHaveAttribute("aria-disabled");
    fail = false;
    await user.click(within(error).getByRole("button", { name: "Retry" }));
    const list = await within(dialog).findByTestId("preflight-checklist");
    expect(list).toHaveTextContent("The tenant has the Platinum tier.");
  });

  test("pt-BR: Corrija primeiro as verificações bloqueadas", async () => {
    const { dialog } = await setup({
      info: { lang: "pt-BR" },
      answers: { preflight: ({ deviceId, mode }) => ({ device_id: deviceId, mode, ok: false, checks: blockedChecks }) },
    });
    const hint = await within(dialog).findByTestId("start-blocked");
    expect(hint).toHaveTextContent("Corrija primeiro as verificações bloqueadas");
    expect(within(dialog).getByTestId("preflight-summary")).toHaveTextContent("1 verificação impede o início.");
  });
});
