import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { AGENT, makeSession } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

const MINE = makeSession({ id: "sess-9", device_id: "and-001", state: "active", code: "s900-000-009", agent: "alex", teamviewer_userid: AGENT.userid });

async function openSession(session = MINE, options: Parameters<typeof renderApp>[0] = {}) {
  const rendered = await renderApp({ sessions: [session], ...options });
  await rendered.user.click(screen.getByTestId("nav-sessions"));
  await rendered.user.click(await screen.findByTestId("session-open-detail"));
  const panel = await screen.findByTestId("session-panel");
  return { ...rendered, panel };
}

describe("hand over", () => {
  test("Hand over: pick a signed-in agent, say why; the session is theirs and the old holder's actions are gone", async () => {
    const { panel, user, backend } = await openSession();
    await user.click(within(panel).getByTestId("session-hand-over"));
    const dialog = await screen.findByTestId("handover-dialog");
    const agent = await within(dialog).findByTestId("handover-agent");
    // The agent using the app is not offered.
    expect(within(agent).getAllByRole("option").map((o) => o.textContent)).toEqual(["Tia Tier Two (tier2.agent)"]);
    await user.click(within(dialog).getByTestId("handover-confirm"));
    expect(await within(dialog).findByTestId("handover-reason-missing")).toHaveTextContent("Say why");
    expect(backend.callsOf("hand_over_session")).toEqual([]);
    await user.type(within(dialog).getByTestId("handover-reason"), "needs tier 2");
    await user.click(within(dialog).getByTestId("handover-confirm"));
    await waitFor(() => {
      expect(screen.queryByTestId("handover-dialog")).not.toBeInTheDocument();
    });
    expect(backend.callsOf("hand_over_session")).toEqual([{ id: MINE.id, to: "u-2002", reason: "needs tier 2" }]);
    expect(await within(panel).findByTestId("session-handed-over")).toHaveTextContent("Handed over to Tia Tier Two");
    expect(within(panel).queryByTestId("session-close")).not.toBeInTheDocument();
    expect(within(panel).queryByTestId("session-hand-over")).not.toBeInTheDocument();
    expect(backend.session(MINE.id)?.agent).toBe("tier2.agent");
  });

  test("a session another agent holds at TeamViewer: the panel says who, without Close or Hand over", async () => {
    const { panel } = await openSession({ ...MINE, agent: "tier2.agent", teamviewer_userid: "u-2002" });
    expect(within(panel).getByTestId("session-held-by-other")).toHaveTextContent("tier2.agent holds this session at TeamViewer");
    expect(within(panel).queryByTestId("session-close")).not.toBeInTheDocument();
    expect(within(panel).queryByTestId("session-hand-over")).not.toBeInTheDocument();
  });

  test("no other agent signed in yet: the dialog says how one appears", async () => {
    const { panel, user } = await openSession(MINE, {
      agents: [{ agent: "alex", userid: AGENT.userid, name: AGENT.name, email: null, last_seen_at: "2026-11-20T12:00:00Z", me: true }],
    });
    await user.click(within(panel).getByTestId("session-hand-over"));
    const dialog = await screen.findByTestId("handover-dialog");
    expect(await within(dialog).findByTestId("handover-no-agents")).toHaveTextContent("No other agent");
    expect(within(dialog).queryByTestId("handover-confirm")).not.toBeInTheDocument();
  });

  test("pt-BR: Passar adiante", async () => {
    const { panel, user } = await openSession(MINE, { info: { lang: "pt-BR" } });
    const button = within(panel).getByTestId("session-hand-over");
    expect(button).toHaveTextContent("Passar adiante");
    await user.click(button);
    const dialog = await screen.findByTestId("handover-dialog");
    expect(within(dialog).getByRole("heading", { level: 2 })).toHaveTextContent(`Passar a sessão ${MINE.code ?? ""} adiante`);
    expect(await within(dialog).findByText("Motivo")).toBeInTheDocument();
  });
});
