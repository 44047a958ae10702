import { screen, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import type { PolicyEntry } from "../../bindings/PolicyEntry";
import { ANDROID_DEVICE, IOS_DEVICE, type FakeOptions } from "../../test/fakeBackend";
import { openActions, openDevice, renderApp } from "../../test/render";

function user(rendered: { user: UserEvent }): UserEvent {
  return rendered.user;
}

function entry(policy: PolicyEntry["policy"]): PolicyEntry {
  return { policy, updated_at: "2026-12-06T12:00:00Z", updated_by: "maria.admin" };
}

const TICKETS = entry({
  name: "Tickets",
  group: {},
  reason_required: true,
  ticket_pattern: "INC\\d{7}",
  unattended: "approval",
  approval_minutes: 30,
  personal_view_only: false,
});

async function openDialog(user: UserEvent) {
  const panel = await openDevice(user, "and-001", "Ana's Galaxy");
  const menu = await openActions(user, panel);
  await user.click(within(menu).getByTestId("remote-action"));
  return screen.findByTestId("mode-dialog");
}

async function setup(options: FakeOptions = {}) {
  const rendered = await renderApp({ policies: [TICKETS], ...options });
  const dialog = await openDialog(rendered.user);
  return { ...rendered, dialog };
}

describe("support policies in the start dialog", () => {
  test("policy.ticket: the ticket field shows when a policy asks for it and is checked inline with its pattern", async () => {
    const { user, dialog, backend } = await setup();
    const input = await within(dialog).findByTestId("ticket-input");
    expect(input).toHaveAccessibleName("Ticket reference");
    expect(input).toHaveAccessibleDescription("Required by Tickets: the whole reference matches INC\\d{7}.");
    // The policy's checks show in the preflight list.
    expect(await within(dialog).findByText(/a ticket reference matching INC\\d\{7\} is required/)).toBeInTheDocument();

    // Start without a ticket: said in place, nothing is started.
    await user.click(within(dialog).getByTestId("start-button"));
    expect(within(dialog).getByTestId("ticket-error")).toHaveTextContent("Give the ticket reference.");
    expect(backend.callsOf("start_session")).toHaveLength(0);

    await user.type(input, "INC12");
    expect(within(dialog).getByTestId("ticket-error")).toHaveTextContent("The reference does not match INC\\d{7}.");
    expect(input).toHaveAttribute("aria-invalid", "true");
    await user.clear(input);
    await user.type(input, "INC0012345");
    expect(within(dialog).queryByTestId("ticket-error")).not.toBeInTheDocument();
    await user.type(within(dialog).getByTestId("reason-input"), "screen frozen");
    await user.click(within(dialog).getByTestId("start-button"));
    await within(dialog).findByTestId("session-panel");
    expect(backend.callsOf("start_session")).toEqual([
      { deviceId: "and-001", mode: "attended", reason: "screen frozen", ticket: "INC0012345" },
    ]);
  });

  test("policy.approval: an unattended start is held as awaiting approval, in pt-BR too", async () => {
    const { user, dialog, backend } = await setup({ lang: "pt-BR" });
    await user.click(within(dialog).getByTestId("mode-unattended"));
    expect(await within(dialog).findByTestId("policy-four-eyes")).toHaveTextContent(
      "Quatro olhos: outro agente deve aprovar este início autônomo (válido por 30 min).",
    );
    await user.type(within(dialog).getByTestId("ticket-input"), "INC0000001");
    await user.click(within(dialog).getByTestId("start-button"));
    const error = await within(dialog).findByTestId("start-error");
    expect(error).toHaveTextContent("Aguardando aprovação");
    expect(within(error).getByTestId("awaiting-approval")).toHaveTextContent("O pedido appr-1 aguarda outro agente conectado");
    expect(backend.callsOf("start_session")).toHaveLength(1);
  });

  test("policy.view_only: a personal device under a view-only policy says so before the start", async () => {
    const byod = entry({ name: "BYOD", group: { ownership: "personal" }, reason_required: false, unattended: "allowed", personal_view_only: true });
    const personal = { ...ANDROID_DEVICE, management: { ...ANDROID_DEVICE.management, ownership: "employee" as const } };
    const rendered = await renderApp({ policies: [byod], details: [personal, IOS_DEVICE] });
    const dialog = await openDialog(rendered.user);
    expect(await within(dialog).findByTestId("policy-view-only")).toHaveTextContent(
      "View only: this personal device's support policy lets you watch and guide, not control.",
    );
    await user(rendered).click(within(dialog).getByTestId("start-button"));
    const panel = await within(dialog).findByTestId("session-panel");
    expect(within(panel).getByTestId("session-view-only")).toHaveTextContent("View only (personal device)");
  });

  test("a company device under the same policy is not view only", async () => {
    const byod = entry({ name: "BYOD", group: { ownership: "personal" }, reason_required: false, unattended: "allowed", personal_view_only: true });
    const rendered = await renderApp({ policies: [byod] });
    const dialog = await openDialog(rendered.user);
    await within(dialog).findByTestId("preflight-checklist");
    expect(within(dialog).queryByTestId("policy-view-only")).not.toBeInTheDocument();
  });
});
