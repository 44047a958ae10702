import { act, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { ipc } from "../../ipc";
import { apiError, SIGNED_OUT } from "../../test/fakeBackend";
import { makeRequest } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";
import { INBOX_POLL_MS } from "./useInbox";

const MATCHED = makeRequest();
const UNKNOWN = makeRequest({
  code: "s555-000-002",
  end_customer_name: "Visitor",
  end_customer_email: "visitor@elsewhere.example",
  description: null,
  created_at: "2026-11-20T11:55:00Z",
  waiting_seconds: 300,
  device_id: null,
  device_name: null,
  matched_by: null,
  candidates: 0,
  unknown_device: true,
});

async function openInbox(options: Parameters<typeof renderApp>[0] = {}) {
  const rendered = await renderApp({ requests: [MATCHED, UNKNOWN], ...options });
  await rendered.user.click(screen.getByTestId("nav-inbox"));
  const view = await screen.findByTestId("inbox-view");
  return { ...rendered, view };
}

describe("help requests (inbox)", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  test("the inbox lists the waiting requests newest last, matched to their device or flagged unknown device", async () => {
    const { view } = await openInbox();
    expect(await screen.findByTestId("inbox-badge")).toHaveTextContent("2");
    const rows = await within(view).findAllByTestId("request-row");
    expect(rows.map((row) => row.dataset.code)).toEqual([MATCHED.code, UNKNOWN.code]);
    const [first, second] = rows;
    if (!first || !second) throw new Error("two rows");
    expect(first).toHaveTextContent("Ana Souza");
    expect(first).toHaveTextContent("Ana's Galaxy");
    expect(first).toHaveTextContent("and-001");
    expect(first).toHaveTextContent("matched by e-mail");
    expect(first).toHaveTextContent("The scanner app does not open");
    expect(within(first).getByTestId("request-waited")).toHaveTextContent(/\d+ (min|h)/);
    expect(second).toHaveAttribute("data-unknown-device", "true");
    expect(within(second).getByTestId("request-unknown-device")).toHaveTextContent("Unknown device");
    expect(within(view).getByTestId("inbox-count")).toHaveTextContent("2 requests waiting");
  });

  test("Take assigns the request to the agent: the session opens beside the inbox and the request leaves it", async () => {
    const { view, user, backend } = await openInbox();
    const [first] = await within(view).findAllByTestId("request-row");
    if (!first) throw new Error("a row");
    await user.click(within(first).getByTestId("request-take"));
    expect(await screen.findByTestId("request-taken")).toHaveTextContent(`You took help request ${MATCHED.code}.`);
    expect(backend.callsOf("take_request")).toEqual([{ code: MATCHED.code }]);
    const panel = await screen.findByTestId("session-panel");
    expect(within(panel).getByTestId("session-code")).toHaveTextContent(MATCHED.code);
    await waitFor(() => {
      expect(within(view).getAllByTestId("request-row").map((row) => row.dataset.code)).toEqual([UNKNOWN.code]);
    });
  });

  test("a request of an unknown device can be taken: the desktop client got the case, no session holds a device", async () => {
    const { view, user } = await openInbox();
    const [, unknown] = await within(view).findAllByTestId("request-row");
    if (!unknown) throw new Error("two rows");
    await user.click(within(unknown).getByTestId("request-take"));
    const taken = await screen.findByTestId("request-taken");
    expect(taken).toHaveTextContent("The device is unknown");
    expect(screen.queryByTestId("session-panel")).not.toBeInTheDocument();
  });

  test("a request another agent took first: the conflict names the holder, with the fix", async () => {
    const { view, user } = await openInbox({
      requests: [MATCHED],
      answers: {
        take_request: ({ code }) => {
          throw apiError("conflict", `Help request ${code} was taken by bruno.`, "Take another request, or ask the holder for a hand-over.", {
            kind: "request_taken",
            code,
            taken_by: "bruno",
          });
        },
      },
    });
    await user.click(await within(view).findByTestId("request-take"));
    const error = await screen.findByTestId("request-take-error");
    expect(error).toHaveAttribute("data-error-code", "conflict");
    expect(error).toHaveTextContent("taken by bruno");
    expect(error).toHaveTextContent("ask the holder for a hand-over");
  });

  test("pt-BR: the inbox speaks Portuguese", async () => {
    const { view } = await openInbox({ info: { lang: "pt-BR" } });
    expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Pedidos de ajuda");
    const [first, second] = await within(view).findAllByTestId("request-row");
    if (!first || !second) throw new Error("two rows");
    expect(within(first).getByTestId("request-take")).toHaveTextContent("Assumir");
    expect(within(second).getByTestId("request-unknown-device")).toHaveTextContent("Dispositivo desconhecido");
  });

  test("not signed in: the inbox says why and offers the sign-in", async () => {
    const { view } = await openInbox({ auth: SIGNED_OUT });
    const error = await within(view).findByTestId("inbox-error");
    expect(error).toHaveAttribute("data-error-code", "sign_in_needed");
    expect(within(error).getByTestId("sign-in-continue")).toBeInTheDocument();
    expect(screen.queryByTestId("inbox-badge")).not.toBeInTheDocument();
  });

  test("a request that arrives is announced with a desktop notification; the ones already waiting are not", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const notify = vi.spyOn(ipc, "notify").mockResolvedValue(true);
    const { backend } = await renderApp({ requests: [MATCHED] });
    await screen.findByTestId("inbox-badge");
    expect(notify).not.toHaveBeenCalled();
    backend.addRequest(UNKNOWN);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(INBOX_POLL_MS);
    });
    await waitFor(() => {
      expect(notify).toHaveBeenCalledWith("Help requested", "Visitor asks for help (Unknown device).");
    });
    expect(notify).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("inbox-badge")).toHaveTextContent("2");
  });
});
