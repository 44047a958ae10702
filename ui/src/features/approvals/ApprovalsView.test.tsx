import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { Approval } from "../../bindings/Approval";
import type { FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

function request(overrides: Partial<Approval>): Approval {
  return {
    id: "appr-1",
    device_id: "and-001",
    mode: "unattended",
    requester: "tier2.agent",
    reason: "scanner hangs",
    ticket: "INC0000001",
    policies: ["Four eyes"],
    approval_minutes: 30,
    state: "pending",
    requested_at: "2026-12-06T12:00:00Z",
    expires_at: "2026-12-06T12:30:00Z",
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    session_id: null,
    mine: false,
    ...overrides,
  };
}

async function openApprovals(options: FakeOptions) {
  const rendered = await renderApp(options);
  await rendered.user.click(screen.getByTestId("nav-approvals"));
  const view = await screen.findByTestId("approvals-view");
  return { ...rendered, view };
}

const row = (view: HTMLElement, id: string) =>
  waitFor(() => {
    const found = view.querySelector<HTMLElement>(`[data-testid="approval-row"][data-id="${id}"]`);
    if (!found) throw new Error(`no row ${id}`);
    return found;
  });

describe("approvals view (four eyes)", () => {
  test("another agent's request is approved here; the agent's own cannot be decided", async () => {
    const { user, view, backend } = await openApprovals({
      approvals: [request({}), request({ id: "appr-2", requester: "alex", device_id: "and-002" })],
    });
    const own = await row(view, "appr-2");
    expect(within(own).getByTestId("approval-mine")).toHaveTextContent("Yours: another agent decides it");
    expect(within(own).queryByTestId("approval-approve")).not.toBeInTheDocument();

    const other = await row(view, "appr-1");
    expect(other).toHaveTextContent("INC0000001");
    expect(within(other).getByTestId("approval-state")).toHaveTextContent("Awaiting approval");
    await user.click(within(other).getByTestId("approval-approve"));
    await waitFor(() => {
      expect(within(view.querySelector<HTMLElement>('[data-id="appr-1"]') ?? view).getByTestId("approval-state")).toHaveTextContent(
        "Approved · alex",
      );
    });
    expect(backend.callsOf("approve_start")).toEqual([{ id: "appr-1" }]);
  });

  test("refuse with a reason, by keyboard; the refused request leaves the open list and shows under all", async () => {
    const { user, view, backend } = await openApprovals({ approvals: [request({})], lang: "pt-BR" });
    const other = await row(view, "appr-1");
    const reason = within(other).getByLabelText("Motivo da recusa (opcional)");
    await user.click(reason);
    await user.keyboard("sem chamado");
    await user.tab();
    expect(within(other).getByTestId("approval-refuse")).toHaveFocus();
    await user.keyboard("{Enter}");
    await within(view).findByTestId("approvals-empty");
    expect(backend.callsOf("refuse_start")).toEqual([{ id: "appr-1", reason: "sem chamado" }]);
    await user.click(within(view).getByTestId("approvals-all"));
    const refused = await row(view, "appr-1");
    expect(within(refused).getByTestId("approval-state")).toHaveTextContent("Recusado");
  });

  test("the back end's refusal shows with its fix", async () => {
    const { user, view } = await openApprovals({
      approvals: [request({})],
      errors: {
        approve_start: {
          code: "blocked",
          message: "You made this request: another agent must approve or refuse it (four eyes).",
          fix: "Ask another signed-in agent to decide it.",
          details: null,
        },
      },
    });
    await user.click(within(await row(view, "appr-1")).getByTestId("approval-approve"));
    const error = await within(view).findByTestId("approval-decide-error");
    expect(error).toHaveTextContent("another agent must approve or refuse it");
    expect(error).toHaveTextContent("Ask another signed-in agent to decide it.");
  });
});
