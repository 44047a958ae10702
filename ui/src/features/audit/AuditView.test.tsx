import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { apiError, makeAuditEntry, type FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";
import { localToIso, toFilter } from "./useAudit";

const AUDIT = [
  makeAuditEntry({ id: "a5", at: "2026-11-20T14:00:00.000Z", actor: "bea", action: "session.close", device_id: "ios-001" }),
  makeAuditEntry({ id: "a4", at: "2026-11-20T13:00:00.000Z", actor: "alex", action: "session.start", device_id: "ios-001" }),
  makeAuditEntry({ id: "a3", at: "2026-11-20T12:00:00.000Z", actor: "bea", action: "admin.activate", device_id: null, session_id: null }),
  makeAuditEntry({ id: "a2", at: "2026-11-20T11:00:00.000Z", actor: "alex", action: "session.close" }),
  makeAuditEntry({ id: "a1", at: "2026-11-20T10:00:00.000Z", actor: "alex", action: "session.start" }),
];

async function openAudit(options: FakeOptions = {}) {
  const rendered = await renderApp({ audit: AUDIT, ...options });
  await rendered.user.click(screen.getByTestId("nav-audit"));
  const view = await screen.findByTestId("audit-view");
  return { ...rendered, view };
}

const rowIds = (view: HTMLElement) => within(view).getAllByTestId("audit-row").map((row) => row.dataset.auditId);

describe("audit view", () => {
  test("lists the events newest first with time, agent, action, device, session and detail", async () => {
    const { view, backend } = await openAudit();
    await within(view).findAllByTestId("audit-row");
    expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Audit");
    const table = within(view).getByRole("table", { name: "Audit" });
    expect(within(table).getAllByRole("columnheader").map((th) => th.textContent)).toEqual([
      "Time",
      "Agent",
      "Action",
      "Device",
      "Session",
      "Detail",
    ]);
    expect(rowIds(view)).toEqual(["a5", "a4", "a3", "a2", "a1"]);
    const first = within(view).getAllByTestId("audit-row")[0];
    expect(first?.querySelector("time")).toHaveAttribute("dateTime", "2026-11-20T14:00:00.000Z");
    expect(first).toHaveTextContent("session.close");
    expect(first).toHaveTextContent('{"mode":"attended"}');
    expect(within(view).getByTestId("audit-range")).toHaveTextContent("1–5 of 5");
    expect(backend.callsOf("list_audit")).toEqual([
      { filter: { device_id: null, actor: null, action: null, since: null, until: null, offset: 0, limit: 50 } },
    ]);
  });

  test("the agent is the OS account with the TeamViewer account confirmed, or unverified", async () => {
    // Hardening finding 5: the OS user name alone can be set by anyone.
    const { view } = await openAudit({
      audit: [
        makeAuditEntry({ id: "v", actor: "alex", actor_account_name: "Alex Agent", actor_account_id: "u-1001" }),
        makeAuditEntry({
          id: "u",
          actor: "mallory",
          actor_verified: false,
          actor_account_id: null,
          actor_account_name: null,
        }),
      ],
    });
    await within(view).findAllByTestId("audit-row");
    const actors = within(view).getAllByTestId("audit-row-actor").map((cell) => cell.textContent);
    expect(actors).toEqual(["alex · Alex Agent", "mallory (unverified)"]);
  });

  test("filters by agent, action and device with the keyboard (Enter applies)", async () => {
    const { user, view, backend } = await openAudit();
    await within(view).findAllByTestId("audit-row");
    // The choices come from the trail itself.
    const agent = within(view).getByLabelText("Agent");
    await waitFor(() => {
      expect(within(agent).getAllByRole("option").map((o) => o.textContent)).toEqual(["All", "alex", "bea"]);
    });
    await user.selectOptions(agent, "alex");
    await user.selectOptions(within(view).getByLabelText("Action"), "session.start");
    await user.click(within(view).getByLabelText("Device"));
    await user.keyboard("and-001{Enter}");
    await waitFor(() => {
      expect(rowIds(view)).toEqual(["a1"]);
    });
    expect(backend.callsOf("list_audit").at(-1)).toEqual({
      filter: { device_id: "and-001", actor: "alex", action: "session.start", since: null, until: null, offset: 0, limit: 50 },
    });
    await user.click(within(view).getByTestId("audit-clear"));
    await waitFor(() => {
      expect(rowIds(view)).toHaveLength(5);
    });
  });

  test("the time range is sent as instants; nothing in it shows the empty state with a hint", async () => {
    const { user, view, backend } = await openAudit();
    await within(view).findAllByTestId("audit-row");
    const since = within(view).getByLabelText("From");
    await user.type(since, "2030-01-01T00:00");
    await user.click(within(view).getByTestId("audit-apply"));
    const empty = await within(view).findByTestId("audit-empty");
    expect(empty).toHaveTextContent("No audit events match");
    expect(empty).toHaveTextContent("Widen the time range or clear the filters.");
    const filter = (backend.callsOf("list_audit").at(-1) as { filter: { since: string } }).filter;
    expect(filter.since).toBe(new Date("2030-01-01T00:00").toISOString());
    expect(within(view).getByTestId("audit-export")).toHaveAttribute("aria-disabled", "true");
  });

  test("pages through the trail", async () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      makeAuditEntry({ id: `e${String(i).padStart(3, "0")}`, at: new Date(Date.UTC(2026, 10, 20, 10, 0, 120 - i)).toISOString() }),
    );
    const { user, view, backend } = await openAudit({ audit: many });
    await within(view).findAllByTestId("audit-row");
    expect(within(view).getAllByTestId("audit-row")).toHaveLength(50);
    expect(within(view).getByTestId("audit-range")).toHaveTextContent("1–50 of 120");
    expect(within(view).getByTestId("audit-previous")).toBeDisabled();
    await user.click(within(view).getByTestId("audit-next"));
    await user.click(await within(view).findByTestId("audit-next"));
    await waitFor(() => {
      expect(within(view).getByTestId("audit-range")).toHaveTextContent("101–120 of 120");
    });
    expect(within(view).getByTestId("audit-next")).toBeDisabled();
    expect(backend.callsOf("list_audit").map((c) => (c as { filter: { offset: number } }).filter.offset)).toEqual([0, 50, 100]);
  });

  test("export CSV saves every matching event and says where", async () => {
    const { user, view, backend } = await openAudit();
    await within(view).findAllByTestId("audit-row");
    await user.selectOptions(within(view).getByLabelText("Agent"), "bea");
    await user.click(within(view).getByTestId("audit-apply"));
    await waitFor(() => {
      expect(rowIds(view)).toEqual(["a5", "a3"]);
    });
    await user.click(within(view).getByTestId("audit-export"));
    const status = within(view).getByTestId("audit-export-status");
    await within(status).findByText("2 events saved as CSV");
    expect(status).toHaveTextContent("/home/alex/Downloads/helpatwork-audit-20261120-100000.csv");
    expect(backend.callsOf("export_audit")).toEqual([
      { filter: { device_id: null, actor: "bea", action: null, since: null, until: null, offset: 0, limit: 0 } },
    ]);
  });

  test("a failed load shows the message, the fix and Retry", async () => {
    const { view } = await openAudit({
      answers: {
        list_audit: () => {
          throw apiError("invalid_input", 'since "x" is not a time.', "Use an RFC 3339 time such as 2026-11-20T09:30:00Z.");
        },
      },
    });
    const error = await within(view).findByTestId("audit-error");
    expect(error).toHaveTextContent("The audit events could not be loaded");
    expect(error).toHaveTextContent('since "x" is not a time.');
    expect(error).toHaveTextContent("Use an RFC 3339 time");
    expect(within(error).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  test("export failure keeps the list and explains", async () => {
    const { user, view } = await openAudit({
      answers: {
        export_audit: () => {
          throw apiError("internal", "Cannot create /home/alex/Downloads: permission denied", "Set HELPATWORK_EXPORT_DIR to a writable directory.");
        },
      },
    });
    await within(view).findAllByTestId("audit-row");
    await user.click(within(view).getByTestId("audit-export"));
    const error = await within(view).findByTestId("audit-export-error");
    expect(error).toHaveTextContent("The CSV could not be written");
    expect(error).toHaveTextContent("HELPATWORK_EXPORT_DIR");
    expect(rowIds(view)).toHaveLength(5);
  });

  test("pt-BR: words, dates and numbers in the agent's language", async () => {
    const { view } = await openAudit({ info: { lang: "pt-BR" } });
    await within(view).findAllByTestId("audit-row");
    expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Auditoria");
    expect(within(view).getByTestId("audit-range")).toHaveTextContent("1–5 de 5");
    const time = within(view).getAllByTestId("audit-row")[0]?.querySelector("time");
    const expected = new Intl.DateTimeFormat("pt-BR", { dateStyle: "medium", timeStyle: "short" }).format(
      new Date("2026-11-20T14:00:00.000Z"),
    );
    expect(time).toHaveTextContent(expected);
    expect(within(view).getByTestId("audit-export")).toHaveTextContent("Exportar CSV");
  });
});

describe("audit filter", () => {
  test("blank fields are no filter; local times become instants", () => {
    expect(toFilter({ device: " ", actor: "", action: "", since: "", until: "" }, 0)).toEqual({
      device_id: null,
      actor: null,
      action: null,
      since: null,
      until: null,
      offset: 0,
      limit: 50,
    });
    expect(localToIso("not a time")).toBeNull();
    expect(localToIso("2026-11-20T09:30")).toBe(new Date("2026-11-20T09:30").toISOString());
  });
});
