import { act, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { ArmedSession } from "../../bindings/ArmedSession";
import { I18nProvider } from "../../i18n/I18nProvider";
import { ipc } from "../../ipc";
import { installFakeBackend, makeSession } from "../../test/fakeBackend";
import { AuthProvider } from "../account/AuthProvider";
import { SessionsView } from "./SessionsView";
import { ARMED_POLL_MS, armedTransitions, useArmed } from "./useArmed";

function Watcher() {
  useArmed(true, true);
  return null;
}

const ARMED: ArmedSession = {
  id: "armed-1",
  device_id: "and-001",
  mode: "attended",
  agent: "alex",
  reason: "Scanner",
  ticket: null,
  state: "armed",
  armed_at: "2026-12-07T10:00:00Z",
  expires_at: "2026-12-07T14:00:00Z",
  armed_checkin: "2026-12-07T08:00:00Z",
  rearm_of: "sess-9",
  ended_at: null,
  ended_by: null,
  session_id: null,
  error: null,
};

function renderView(lang: "en" | "pt-BR" = "en") {
  return render(
    <I18nProvider lang={lang}>
      <AuthProvider ready>
        <SessionsView epoch={0} />
      </AuthProvider>
    </I18nProvider>,
  );
}

describe("armed sessions", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  test("an armed session waits above the list with its device, agent, expiry and Cancel; Cancel ends it", async () => {
    vi.useFakeTimers();
    const backend = installFakeBackend({ armed: [ARMED] });
    renderView();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const section = screen.getByTestId("armed-sessions");
    expect(within(section).getByRole("heading", { level: 2 })).toHaveTextContent("Waiting for the device");
    const row = within(section).getByTestId("armed-row");
    expect(row).toHaveTextContent("and-001");
    expect(row).toHaveTextContent("Agent: alex");
    expect(row).toHaveTextContent("starts sess-9 again");
    expect(within(row).getByTestId("armed-expires")).toHaveAttribute("dateTime", "2026-12-07T14:00:00Z");
    await act(async () => {
      within(row).getByRole("button", { name: "Cancel" }).click();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(backend.callsOf("cancel_armed")).toHaveLength(1);
    expect(screen.queryByTestId("armed-sessions")).toBeNull();
  });

  test("another agent's armed session: Cancel shows the conflict; pt-BR words", async () => {
    vi.useFakeTimers();
    installFakeBackend({ armed: [{ ...ARMED, agent: "bruno" }] });
    renderView("pt-BR");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    const section = screen.getByTestId("armed-sessions");
    expect(section).toHaveTextContent("Aguardando o dispositivo");
    await act(async () => {
      within(section).getByRole("button", { name: "Cancelar" }).click();
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByTestId("armed-cancel-error")).toHaveTextContent("A sessão armada não foi cancelada");
    expect(screen.getByTestId("armed-row")).toBeInTheDocument();
  });

  test("when an armed session fires, the sessions list shows its session (the window notifies)", async () => {
    vi.useFakeTimers();
    const started = makeSession({ id: "sess-10", device_id: "and-001", state: "waiting" });
    let fired = false;
    installFakeBackend({
      answers: {
        list_armed: () => [fired ? { ...ARMED, state: "fired", session_id: "sess-10" } : ARMED],
        list_sessions: () => (fired ? [started] : []),
      },
    });
    renderView();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(screen.getByTestId("armed-row")).toBeInTheDocument();
    expect(screen.queryByTestId("session-row")).toBeNull();
    fired = true;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ARMED_POLL_MS);
    });
    expect(screen.queryByTestId("armed-sessions")).toBeNull();
    expect(screen.getByTestId("session-row")).toHaveAttribute("data-session-id", "sess-10");
  });

  test("the window notifies when an armed session starts, fails or expires, not for those it found ended", async () => {
    vi.useFakeTimers();
    const notify = vi.spyOn(ipc, "notify").mockResolvedValue(true);
    const other = { ...ARMED, id: "armed-2", device_id: "ios-001" };
    const third = { ...ARMED, id: "armed-3", device_id: "and-002" };
    let next: ArmedSession[] = [ARMED, other, third, { ...ARMED, id: "armed-0", state: "expired" }];
    installFakeBackend({ answers: { list_armed: () => next } });
    render(
      <I18nProvider lang="en">
        <Watcher />
      </I18nProvider>,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(notify).not.toHaveBeenCalled();
    next = [
      { ...ARMED, state: "fired", session_id: "sess-10" },
      { ...other, state: "failed", error: "The device is blocked." },
      { ...third, state: "expired" },
    ];
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ARMED_POLL_MS);
    });
    expect(notify.mock.calls).toEqual([
      ["Armed session started", "and-001 checked in: the session started and went to TeamViewer."],
      ["Armed session not started", "ios-001 checked in, but the session did not start: The device is blocked."],
      ["Armed session expired", "and-002 did not check in in time."],
    ]);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(ARMED_POLL_MS);
    });
    expect(notify).toHaveBeenCalledTimes(3);
  });

  test("a transition is an armed session that left armed since the last read; none on the first read", () => {
    expect(armedTransitions(null, [ARMED])).toEqual([]);
    const seen = new Map([[ARMED.id, "armed" as const]]);
    expect(armedTransitions(seen, [ARMED])).toEqual([]);
    const fired = { ...ARMED, state: "fired" as const };
    expect(armedTransitions(seen, [fired])).toEqual([fired]);
    expect(armedTransitions(new Map([[ARMED.id, "fired" as const]]), [fired])).toEqual([]);
  });
});
