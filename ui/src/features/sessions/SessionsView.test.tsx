import { act, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { I18nProvider } from "../../i18n/I18nProvider";
import { apiError, installFakeBackend, makeSession, SESSION_CODE, type FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";
import { AuthProvider } from "../account/AuthProvider";
import { SessionsView } from "./SessionsView";
import { SESSIONS_POLL_MS } from "./useSessions";

const CLOSED = makeSession({ id: "sess-1", device_id: "and-001", state: "closed", code: "s100-000-001", agent: "Bea Souza", created_at: "2026-11-20T08:00:00Z" });
const ACTIVE = makeSession({ id: "sess-2", device_id: "and-002", state: "active", code: "s200-000-002", mode: "unattended", created_at: "2026-11-20T09:00:00Z" });
const IOS = makeSession({
  id: "sess-3",
  device_id: "ios-001",
  state: "waiting",
  code: "s300-000-003",
  created_at: "2026-11-20T07:00:00Z",
  expires_at: "2026-11-20T07:30:00Z",
});
const NEWEST_CLOSED = makeSession({ id: "sess-4", device_id: "ios-001", state: "expired", code: "s400-000-004", created_at: "2026-11-20T11:00:00Z" });
const SESSIONS = [CLOSED, ACTIVE, IOS, NEWEST_CLOSED];

async function openSessions(options: FakeOptions = {}) {
  const rendered = await renderApp({ sessions: SESSIONS, ...options });
  await rendered.user.click(screen.getByTestId("nav-sessions"));
  const view = await screen.findByTestId("sessions-view");
  await within(view).findAllByTestId("session-row");
  return { ...rendered, view };
}

/** The `index`th element; throws when there is none. */
function nth(elements: readonly HTMLElement[], index: number): HTMLElement {
  const element = elements[index];
  if (!element) throw new Error(`no element ${index} of ${elements.length}`);
  return element;
}

const rowIds = (view: HTMLElement) => within(view).getAllByTestId("session-row").map((row) => row.dataset.sessionId);

describe("sessions view", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("sessions view lists sessions: open first, with state, device, mode, code, agent, created, expires", async () => {
    const { view, backend } = await openSessions();
    expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Sessions");
    const table = within(view).getByRole("table", { name: "Sessions" });
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual([
      "State",
      "Device",
      "Mode",
      "Code",
      "Agent",
      "Created",
      "Expires",
    ]);
    // Open sessions first (newest first), then the ended ones (newest first).
    expect(rowIds(view)).toEqual(["sess-2", "sess-3", "sess-4", "sess-1"]);
    const rows = within(view).getAllByTestId("session-row");
    const [active, ios, closed] = [nth(rows, 0), nth(rows, 1), nth(rows, 3)];
    expect(active).toHaveTextContent("Active");
    expect(active).toHaveTextContent("and-002");
    expect(active).toHaveTextContent("Unattended");
    expect(active).toHaveTextContent("s200-000-002");
    expect(active).toHaveTextContent("Alex Agent");
    expect(active).toHaveTextContent("Does not expire");
    expect(ios).toHaveTextContent("Waiting for user");
    expect(nth(within(ios).getAllByRole("cell"), 5).querySelector("time")).toHaveAttribute(
      "dateTime",
      "2026-11-20T07:30:00Z",
    );
    expect(closed).toHaveTextContent("Closed");
    expect(closed).toHaveTextContent("Bea Souza");
    expect(within(view).getByTestId("sessions-count")).toHaveTextContent("4 sessions");
    expect(backend.callsOf("list_sessions")).toEqual([{ openOnly: false }]);
  });

  test("Open only asks for the open sessions", async () => {
    const { user, view, backend } = await openSessions();
    await user.click(within(view).getByRole("checkbox", { name: "Open only" }));
    await waitFor(() => {
      expect(rowIds(view)).toEqual(["sess-2", "sess-3"]);
    });
    expect(backend.callsOf("list_sessions")).toContainEqual({ openOnly: true });
  });

  test("clicking a session shows the session panel; Close session ends it and the list follows", async () => {
    const { user, view, backend } = await openSessions();
    const row = nth(within(view).getAllByTestId("session-row"), 0);
    await user.click(nth(within(row).getAllByRole("cell"), 0));
    const detail = await screen.findByTestId("session-detail");
    expect(detail).toHaveAccessibleName("TeamViewer session on and-002");
    const panel = within(detail).getByTestId("session-panel");
    expect(within(panel).getByTestId("session-code")).toHaveTextContent("s200-000-002");
    expect(within(panel).getByTestId("session-state")).toHaveTextContent("Active");
    expect(within(row).getByRole("button", { name: "and-002" })).toHaveAttribute("aria-pressed", "true");

    await user.click(within(panel).getByTestId("session-close"));
    await waitFor(() => {
      expect(within(panel).getByTestId("session-state")).toHaveTextContent("Closed");
    });
    expect(backend.callsOf("close_session")).toEqual([{ id: "sess-2" }]);
    await waitFor(() => {
      expect(within(view).getAllByTestId("session-row").find((r) => r.dataset.sessionId === "sess-2")).toHaveAttribute(
        "data-state",
        "closed",
      );
    });

    // Esc closes the panel and focus returns to the row's button.
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("session-detail")).not.toBeInTheDocument();
    expect(within(view).getByRole("button", { name: "and-002" })).toHaveFocus();
  });

  test("keyboard: the device button opens the session", async () => {
    const { user, view } = await openSessions();
    within(view).getByRole("button", { name: "and-001" }).focus();
    await user.keyboard("{Enter}");
    const detail = await screen.findByTestId("session-detail");
    expect(within(detail).getByTestId("session-code")).toHaveTextContent("s100-000-001");
  });

  test("S9: Start again from a lost session starts the same device, mode and reason", async () => {
    const lost = makeSession({ id: "sess-9", device_id: "and-001", state: "lost", reason: "INC-9", mode: "attended" });
    const { user, view, backend } = await openSessions({ sessions: [lost] });
    await user.click(within(view).getByRole("button", { name: "and-001" }));
    const detail = await screen.findByTestId("session-detail");
    await user.click(within(detail).getByTestId("session-start-again"));
    await waitFor(() => {
      expect(within(screen.getByTestId("session-detail")).getByTestId("session-code")).toHaveTextContent(SESSION_CODE);
    });
    expect(backend.callsOf("start_session")).toEqual([{ deviceId: "and-001", mode: "attended", reason: "INC-9", ticket: null }]);
  });

  test("empty, and a failed load with Retry", async () => {
    let fail = true;
    const { user } = await renderApp({
      answers: {
        list_sessions: () => {
          if (fail) throw apiError("internal", "The store is busy.", "Try again.");
          return [];
        },
      },
    });
    await user.click(screen.getByTestId("nav-sessions"));
    const error = await screen.findByTestId("sessions-error");
    expect(error).toHaveTextContent("The store is busy.");
    fail = false;
    await user.click(within(error).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("sessions-empty")).toHaveTextContent("No sessions yet");
  });

  test("refreshes every 10 s while visible, not while the window is hidden", async () => {
    vi.useFakeTimers();
    let state: "waiting" | "active" = "waiting";
    const backend = installFakeBackend({
      answers: { list_sessions: () => [makeSession({ id: "sess-1", state })] },
    });
    render(
      <I18nProvider lang="en">
        <AuthProvider ready>
          <SessionsView epoch={0} />
        </AuthProvider>
      </I18nProvider>,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByTestId("session-row")).toHaveTextContent("Waiting for user");
    state = "active";
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SESSIONS_POLL_MS);
    });
    expect(screen.getByTestId("session-row")).toHaveTextContent("Active");
    expect(backend.callsOf("list_sessions")).toHaveLength(2);

    const visibility = vi.spyOn(document, "visibilityState", "get").mockReturnValue("hidden");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * SESSIONS_POLL_MS);
    });
    expect(backend.callsOf("list_sessions")).toHaveLength(2);
    // Visible again: read at once.
    visibility.mockReturnValue("visible");
    await act(async () => {
      document.dispatchEvent(new Event("visibilitychange"));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(backend.callsOf("list_sessions")).toHaveLength(3);
  });

  test("a failed refresh keeps the list, with the error", async () => {
    vi.useFakeTimers();
    let fail = false;
    installFakeBackend({
      answers: {
        list_sessions: () => {
          if (fail) throw apiError("service_failed", "TeamViewer did not answer.", null);
          return [ACTIVE];
        },
      },
    });
    render(
      <I18nProvider lang="en">
        <AuthProvider ready>
          <SessionsView epoch={0} />
        </AuthProvider>
      </I18nProvider>,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    fail = true;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SESSIONS_POLL_MS);
    });
    expect(screen.getByTestId("session-row")).toHaveTextContent("s200-000-002");
    expect(screen.getByTestId("sessions-refresh-error")).toHaveTextContent(
      "The sessions could not be refreshed: TeamViewer did not answer.",
    );
  });

  test("pt-BR: Sessões, Somente abertas", async () => {
    const { view } = await openSessions({ info: { lang: "pt-BR" } });
    expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Sessões");
    expect(within(view).getByRole("checkbox", { name: "Somente abertas" })).toBeInTheDocument();
    expect(within(view).getAllByRole("columnheader")[0]).toHaveTextContent("Estado");
  });

  test("the states are TeamViewer's: when it was last asked, or why it could not be", async () => {
    const { view } = await openSessions({
      answers: {
        last_session_sync: () => ({
          at: "2026-11-20T12:00:00Z",
          sync: { teamviewer: "not_signed_in", message: null, changes: [], closes: [], pending_closes: [] },
        }),
      },
    });
    const status = await within(view).findByTestId("sessions-tv-line");
    expect(status).toHaveTextContent("Not signed in to TeamViewer: session states cannot be read back and may be behind.");
    expect(within(view).queryByTestId("sessions-owed-closes")).not.toBeInTheDocument();
  });

  test("cases still owed a close at TeamViewer are shown, and Retry now checks with TeamViewer", async () => {
    const owed = {
      code: "s555-666-777",
      session_id: "sess-1",
      device_id: "and-001",
      reason: "lost",
      attempts: 2,
      last_error: "TeamViewer had a server error (HTTP 503)",
      queued_at: "2026-11-20T11:00:00Z",
      last_attempt_at: "2026-11-20T11:05:00Z",
    };
    let remaining = [owed];
    const { view, user, backend } = await openSessions({
      answers: {
        last_session_sync: () => ({
          at: "2026-11-20T12:00:00Z",
          sync: { teamviewer: "checked", message: null, changes: [], closes: [], pending_closes: remaining },
        }),
        sync_sessions: () => {
          remaining = [];
          return { teamviewer: "checked", message: null, changes: [], closes: [], pending_closes: [] };
        },
      },
    });
    const banner = await within(view).findByTestId("sessions-owed-closes");
    expect(banner).toHaveTextContent("1 ended session is still open at TeamViewer");
    expect(banner).toHaveTextContent("s555-666-777");
    expect(banner).toHaveTextContent("HTTP 503");
    expect(within(view).getByTestId("sessions-tv-line")).toHaveTextContent("Checked with TeamViewer at");
    await user.click(within(banner).getByTestId("sessions-retry-closes"));
    await waitFor(() => {
      expect(within(view).queryByTestId("sessions-owed-closes")).not.toBeInTheDocument();
    });
    expect(backend.callsOf("sync_sessions")).toHaveLength(1);
  });

  test("Check with TeamViewer reads the sessions back now and then the list again", async () => {
    const { view, user, backend } = await openSessions();
    const before = backend.callsOf("list_sessions").length;
    await user.click(within(view).getByTestId("sessions-check"));
    await waitFor(() => {
      expect(backend.callsOf("list_sessions").length).toBeGreaterThan(before);
    });
    expect(backend.callsOf("sync_sessions")).toHaveLength(1);
  });

  test("a failed check with TeamViewer says so with the fix and keeps the list", async () => {
    const { view, user } = await openSessions({
      answers: {
        sync_sessions: () => {
          throw apiError("service_failed", "TeamViewer did not answer.", "Check the network.");
        },
      },
    });
    await user.click(within(view).getByTestId("sessions-check"));
    const banner = await within(view).findByTestId("sessions-tv-error");
    expect(banner).toHaveTextContent("The check with TeamViewer failed: TeamViewer did not answer.");
    expect(banner).toHaveTextContent("Check the network.");
    expect(within(view).getAllByTestId("session-row")).toHaveLength(4);
  });
});
