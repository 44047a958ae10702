import { act, render, screen, waitFor, within } from "@testing-library/react";
import type { UserEvent } from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { Session } from "../../bindings/Session";
import { I18nProvider } from "../../i18n/I18nProvider";
import { apiError, installFakeBackend, IOS_EXPIRY_MS, makeSession, SESSION_CODE, type FakeOptions } from "../../test/fakeBackend";
import { openActions, openDevice, renderApp } from "../../test/render";
import { ipc } from "../../ipc";
import { SESSION_POLL_MS, SessionPanel } from "./SessionPanel";

/** Starts a session from the mode dialog of a device and returns its panel. */
async function startSession(options: FakeOptions = {}, id = "and-001", name = "Ana's Galaxy") {
  const rendered = await renderApp(options);
  const dialog = await openDialog(rendered.user, id, name);
  await rendered.user.click(within(dialog).getByTestId("start-button"));
  const panel = await within(dialog).findByTestId("session-panel");
  return { ...rendered, dialog, panel };
}

async function openDialog(user: UserEvent, id: string, name: string) {
  const detail = await openDevice(user, id, name);
  const menu = await openActions(user, detail);
  await user.click(within(menu).getByTestId("remote-action"));
  return screen.findByTestId("mode-dialog");
}

describe("session panel", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("S5: iOS session shows a countdown and expires", async () => {
    const now = Date.parse("2026-11-20T12:00:00Z");
    vi.useFakeTimers({ now });
    const session = makeSession({
      device_id: "ios-001",
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + IOS_EXPIRY_MS).toISOString(),
    });
    installFakeBackend({ sessions: [session] });
    render(
      <I18nProvider lang="en">
        <SessionPanel session={session} onChange={() => undefined} onStartAgain={() => undefined} starting={false} />
      </I18nProvider>,
    );
    const countdown = screen.getByTestId("session-countdown");
    expect(countdown).toHaveAttribute("role", "timer");
    expect(countdown).toHaveTextContent("Expires in 30:00");
    // Async act: the get_session refreshes the timers trigger settle inside it too.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(countdown).toHaveTextContent("Expires in 29:59");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(29 * 60_000 + 58_000);
    });
    expect(countdown).toHaveTextContent("Expires in 00:01");
    expect(countdown).toHaveAttribute("data-expired", "false");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1000);
    });
    expect(countdown).toHaveTextContent("Expired");
    expect(countdown).toHaveAttribute("data-expired", "true");
    // The 1 s countdown timer stopped at 0; only the state refresh is left.
    expect(vi.getTimerCount()).toBe(1);
  });

  test("the state follows the back end: get_session while the session is open, not after", async () => {
    vi.useFakeTimers();
    const session = makeSession();
    let state: Session["state"] = "waiting";
    const backend = installFakeBackend({ sessions: [session], answers: { get_session: () => makeSession({ state }) } });
    const seen: Session["state"][] = [];
    const Harness = () => {
      const [current, setCurrent] = useState(session);
      return (
        <SessionPanel
          session={current}
          onChange={(next) => {
            seen.push(next.state);
            setCurrent(next);
          }}
          onStartAgain={() => undefined}
          starting={false}
        />
      );
    };
    render(<Harness />);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SESSION_POLL_MS);
    });
    expect(screen.getByTestId("session-state")).toHaveTextContent("Waiting for user");
    state = "closed";
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SESSION_POLL_MS);
    });
    expect(screen.getByTestId("session-state")).toHaveTextContent("Closed");
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * SESSION_POLL_MS);
    });
    expect(backend.callsOf("get_session")).toEqual([{ id: "sess-1" }, { id: "sess-1" }]);
    expect(seen).toEqual(["waiting", "closed"]);
  });

  test("S5: an iOS start in the dialog shows the countdown; pt-BR words", async () => {
    const { panel } = await startSession({ info: { lang: "pt-BR" } }, "ios-001", "Bruno's iPhone");
    expect(within(panel).getByTestId("session-countdown")).toHaveTextContent(/^Expira em (30:00|29:5\d)$/);
    expect(within(panel).getByTestId("session-state")).toHaveTextContent("Entregue ao dispositivo");
    expect(within(panel).getByTestId("session-open")).toHaveTextContent("Abrir no TeamViewer novamente");
    expect(within(panel).getByTestId("session-close")).toHaveTextContent("Encerrar sessão");
  });

  test("every session state has its label", () => {
    const states: [Session["state"], string][] = [
      ["requested", "Requested"],
      ["created", "Created"],
      ["delivered", "Delivered to device"],
      ["waiting", "Waiting for user"],
      ["active", "Active"],
      ["closed", "Closed"],
      ["expired", "Expired"],
      ["lost", "Lost"],
      ["failed", "Failed"],
    ];
    installFakeBackend();
    for (const [state, label] of states) {
      const { unmount } = render(
        <SessionPanel session={makeSession({ state })} onChange={() => undefined} onStartAgain={() => undefined} starting={false} />,
      );
      expect(screen.getByTestId("session-state")).toHaveTextContent(label);
      expect(screen.getByTestId("session-state")).toHaveAttribute("data-state", state);
      unmount();
    }
  });

  test("a desktop notification when the session becomes active or is lost, not on the first render", () => {
    installFakeBackend();
    const notify = vi.spyOn(ipc, "notify").mockResolvedValue(true);
    const props = { onChange: () => undefined, onStartAgain: () => undefined, starting: false };
    const waiting = makeSession({ state: "waiting", device_id: "and-001" });
    const { rerender } = render(
      <I18nProvider lang="en">
        <SessionPanel session={waiting} {...props} />
      </I18nProvider>,
    );
    expect(notify).not.toHaveBeenCalled();
    rerender(
      <I18nProvider lang="en">
        <SessionPanel session={{ ...waiting, state: "active" }} {...props} />
      </I18nProvider>,
    );
    expect(notify).toHaveBeenLastCalledWith(
      "Remote session active",
      "The user of and-001 accepted: the TeamViewer session is active.",
    );
    rerender(
      <I18nProvider lang="pt-BR">
        <SessionPanel session={{ ...waiting, state: "lost" }} {...props} />
      </I18nProvider>,
    );
    expect(notify).toHaveBeenCalledTimes(2);
    expect(notify.mock.lastCall?.[0]).toBe("Sessão remota perdida");
    notify.mockRestore();
  });

  test("a case closed at TeamViewer: the panel says so, with a notification and the end time", () => {
    installFakeBackend();
    const notify = vi.spyOn(ipc, "notify").mockResolvedValue(true);
    const props = { onChange: () => undefined, onStartAgain: () => undefined, starting: false };
    const active = makeSession({ state: "active", device_id: "and-001" });
    const { rerender } = render(
      <I18nProvider lang="en">
        <SessionPanel session={active} {...props} />
      </I18nProvider>,
    );
    expect(screen.queryByTestId("session-closed-at-teamviewer")).not.toBeInTheDocument();
    rerender(
      <I18nProvider lang="en">
        <SessionPanel
          session={{ ...active, state: "closed", ended_by: "teamviewer", ended_at: "2026-11-20T12:10:00Z" }}
          {...props}
        />
      </I18nProvider>,
    );
    expect(screen.getByTestId("session-closed-at-teamviewer")).toHaveTextContent("The case was closed at TeamViewer.");
    expect(screen.getByTestId("session-ended")).toBeInTheDocument();
    expect(notify).toHaveBeenLastCalledWith(
      "Remote session closed at TeamViewer",
      "The session on and-001 was closed at TeamViewer.",
    );
    notify.mockRestore();
  });

  test("an Android session shows TeamViewer's validity; the countdown only in its last hour", () => {
    installFakeBackend();
    const props = { onChange: () => undefined, onStartAgain: () => undefined, starting: false };
    const inDay = new Date(Date.now() + 24 * 3_600_000).toISOString();
    const { unmount } = render(
      <SessionPanel session={makeSession({ state: "waiting", expires_at: inDay, valid_until: inDay })} {...props} />,
    );
    expect(screen.getByTestId("session-valid-until")).toBeInTheDocument();
    expect(screen.queryByTestId("session-countdown")).not.toBeInTheDocument();
    unmount();
    const soon = new Date(Date.now() + 10 * 60_000).toISOString();
    render(<SessionPanel session={makeSession({ state: "waiting", expires_at: soon, valid_until: soon })} {...props} />);
    expect(screen.getByTestId("session-countdown")).toHaveTextContent(/^Expires in (10:00|09:5\d)$/);
  });

  test("Close session calls close_session and shows the closed state", async () => {
    const { user, panel, backend } = await startSession();
    await user.click(within(panel).getByTestId("session-close"));
    await waitFor(() => {
      expect(within(panel).getByTestId("session-state")).toHaveTextContent("Closed");
    });
    expect(backend.callsOf("close_session")).toEqual([{ id: "sess-1" }]);
    expect(panel).toHaveAttribute("data-session-state", "closed");
    // A closed session has nothing left to open or close; focus stays in the panel.
    expect(within(panel).queryByTestId("session-close")).not.toBeInTheDocument();
    expect(within(panel).queryByTestId("session-open")).not.toBeInTheDocument();
    expect(within(panel).queryByTestId("session-start-again")).not.toBeInTheDocument();
    expect(within(panel).getByRole("heading", { name: "Session code" })).toHaveFocus();
  });

  test("a failed close shows the message and the fix, and the session stays open", async () => {
    const { user, panel } = await startSession({
      answers: {
        close_session: () => {
          throw apiError("service_failed", "TeamViewer did not close the session.", "Try again.");
        },
      },
    });
    await user.click(within(panel).getByTestId("session-close"));
    const error = await within(panel).findByTestId("session-error");
    expect(error).toHaveTextContent("The session could not be closed");
    expect(error).toHaveTextContent("TeamViewer did not close the session.");
    expect(error).toHaveTextContent("Try again.");
    expect(within(panel).getByTestId("session-state")).toHaveTextContent("Delivered to device");
    expect(within(panel).getByTestId("session-close")).not.toHaveAttribute("aria-disabled");
  });

  test("Open in TeamViewer again calls open_session", async () => {
    const { user, panel, backend } = await startSession();
    await user.click(within(panel).getByTestId("session-open"));
    expect(await within(panel).findByText("The link was handed to the TeamViewer desktop client.")).toBeInTheDocument();
    expect(backend.callsOf("open_session")).toEqual([{ id: "sess-1" }]);
  });

  test("when the desktop client was not opened, the supporter link is shown; opening it again clears the notice", async () => {
    const { user, panel } = await startSession({
      answers: { start_session: (args) => makeSession({ device_id: args.deviceId, launched: false }) },
    });
    const notice = within(panel).getByTestId("session-not-launched");
    expect(notice).toHaveTextContent("Open the link below in TeamViewer");
    expect(within(notice).getByTestId("session-link")).toHaveTextContent("https://start.teamviewer.com/s123456789");
    await user.click(within(panel).getByTestId("session-open"));
    await waitFor(() => {
      expect(within(panel).queryByTestId("session-not-launched")).not.toBeInTheDocument();
    });
  });

  test("S4: when the MDM cannot push the configuration, the device user's link is shown to copy", async () => {
    const { panel } = await startSession({
      answers: {
        start_session: (args) =>
          makeSession({
            device_id: args.deviceId,
            state: "waiting",
            delivery: "end_customer_link",
            end_customer_link: "https://get.teamviewer.com/v15/s123456789",
          }),
      },
    });
    const notice = within(panel).getByTestId("session-delivery-link");
    expect(notice).toHaveTextContent("Give the device user this link");
    expect(within(notice).getByTestId("session-end-customer-link")).toHaveTextContent(
      "https://get.teamviewer.com/v15/s123456789",
    );
    expect(within(notice).getByTestId("session-copy-link")).toBeInTheDocument();
  });

  test("S4: a configuration delivered through the MDM shows no link to hand out", async () => {
    const { panel } = await startSession();
    expect(within(panel).queryByTestId("session-delivery-link")).not.toBeInTheDocument();
  });

  test("S9: a lost session offers Start again, which starts the same device, mode and reason", async () => {
    let n = 0;
    const { user, panel, dialog, backend } = await startSession({
      answers: {
        start_session: (args) => {
          n += 1;
          return makeSession({
            id: `sess-${n}`,
            device_id: args.deviceId,
            mode: args.mode,
            reason: args.reason,
            state: n === 1 ? "lost" : "delivered",
            code: n === 1 ? "s111-111-111" : SESSION_CODE,
          });
        },
      },
    });
    expect(within(panel).getByTestId("session-state")).toHaveTextContent("Lost");
    expect(within(panel).getByTestId("session-lost")).toHaveTextContent("the app was closed or the device restarted");
    expect(within(panel).queryByTestId("session-close")).not.toBeInTheDocument();
    await user.click(within(panel).getByTestId("session-start-again"));
    await waitFor(() => {
      expect(within(dialog).getByTestId("session-code")).toHaveTextContent(SESSION_CODE);
    });
    expect(within(dialog).getByTestId("session-state")).toHaveTextContent("Delivered to device");
    expect(within(dialog).queryByTestId("session-start-again")).not.toBeInTheDocument();
    const starts = backend.callsOf("start_session");
    expect(starts).toHaveLength(2);
    expect(starts[1]).toEqual(starts[0]);
  });
});
