import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { apiError, makeRows } from "../../test/fakeBackend";
import { scrollGridTo } from "../../test/layout";
import { findRow, grid, renderApp } from "../../test/render";
import { OVERSCAN, ROW_HEIGHT } from "./DeviceTable";
import { PAGE_SIZE } from "./pageCache";

const FLEET = makeRows(100_000);

describe("devices table", () => {
  test("renders rows from list_devices and only the visible rows plus overscan", async () => {
    const { backend } = await renderApp({ rows: FLEET });
    expect(backend.queries()[0]).toEqual({ search: null, platform: null, readiness: null, offset: 0, limit: PAGE_SIZE });
    const table = grid();
    expect(table).toHaveAttribute("aria-rowcount", String(100_000 + 1));
    const rows = within(table).getAllByTestId("device-row");
    expect(rows[0]).toHaveTextContent("Device 0");
    expect(rows[0]).toHaveAttribute("aria-rowindex", "2");
    expect(rows.length).toBeLessThanOrEqual(Math.ceil(640 / ROW_HEIGHT) + 2 * OVERSCAN + 1);
    expect(screen.getByTestId("device-count")).toHaveTextContent("100,000 devices");
    expect(screen.getByTestId("result-count")).toBeEmptyDOMElement();
  });

  test("a name with bidi or zero-width characters shows them, never applies them", async () => {
    // Hardening finding 6: U+202E would show "Ana exe.gpj" as "Ana jpg.exe".
    const rows = makeRows(3);
    const first = rows[0];
    if (!first) throw new Error("no row");
    rows[0] = { ...first, name: "Ana\u202Egpj.exe\u200B", user_name: "Bea\u2066" };
    await renderApp({ rows });
    const row = within(grid()).getAllByTestId("device-row")[0];
    expect(row).toHaveTextContent("Ana⟨U+202E⟩gpj.exe⟨U+200B⟩");
    expect(row).toHaveTextContent("Bea⟨U+2066⟩");
    expect(row?.textContent).not.toContain("\u202E");
  });

  test("asks for the next page when scrolled", async () => {
    const { backend } = await renderApp({ rows: FLEET });
    act(() => {
      scrollGridTo(grid(), 250 * ROW_HEIGHT);
    });
    await waitFor(() => {
      expect(backend.queries().map((q) => q.offset)).toContain(200);
    });
    expect(await findRow("dev-000255")).toHaveTextContent("Device 255");
    // Only the pages on screen were fetched, not the whole fleet.
    expect(backend.queries().length).toBeLessThanOrEqual(3);
  });

  test("keyboard: Down moves the active row (roving tabindex) and Enter opens the detail", async () => {
    const { backend, user } = await renderApp({ rows: FLEET });
    const first = await findRow("dev-000000");
    expect(first).toHaveAttribute("tabindex", "0");
    act(() => {
      first.focus();
    });
    await user.keyboard("{ArrowDown}{ArrowDown}");
    const third = await findRow("dev-000002");
    expect(third).toHaveFocus();
    expect(third).toHaveAttribute("tabindex", "0");
    expect(first).toHaveAttribute("tabindex", "-1");
    await user.keyboard("{ArrowUp}");
    expect(await findRow("dev-000001")).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("device-detail")).toBeInTheDocument();
    expect(backend.calls.filter((c) => c.cmd === "get_device").at(-1)?.args).toEqual({ id: "dev-000001" });
  });

  test("keyboard: PageDown past the loaded rows fetches the next page", async () => {
    const { backend, user } = await renderApp({ rows: FLEET });
    act(() => {
      document.querySelector<HTMLElement>('[data-device-id="dev-000000"]')?.focus();
    });
    for (let i = 0; i < 15; i++) await user.keyboard("{PageDown}");
    await waitFor(() => {
      expect(backend.queries().map((q) => q.offset)).toContain(200);
    });
    const focused = document.activeElement as HTMLElement;
    expect(Number(focused.getAttribute("data-index"))).toBeGreaterThanOrEqual(200);
  });

  test("keyboard: End jumps to the last of 100,000 rows and loads only its page; Home goes back", async () => {
    const { backend, user } = await renderApp({ rows: FLEET });
    act(() => {
      document.querySelector<HTMLElement>('[data-device-id="dev-000000"]')?.focus();
    });
    await user.keyboard("{End}");
    const last = await findRow("dev-099999");
    await waitFor(() => {
      expect(last).toHaveFocus();
    });
    expect(last).toHaveAttribute("aria-rowindex", String(100_000 + 1));
    const offsets = backend.queries().map((q) => q.offset);
    expect(offsets).toContain(99_800);
    expect(offsets.length).toBeLessThanOrEqual(3);
    await user.keyboard("{Home}");
    await waitFor(() => {
      expect(document.querySelector('[data-device-id="dev-000000"]')).toHaveFocus();
    });
  });

  test("search sends the query after a short debounce", async () => {
    const { backend, user } = await renderApp({ rows: makeRows(500) });
    await user.type(screen.getByTestId("device-search"), "user42@");
    await waitFor(() => {
      expect(backend.queries().at(-1)).toMatchObject({ search: "user42@", offset: 0 });
    });
    // Debounced: no request per keystroke.
    expect(backend.queries().some((q) => q.search === "u" || q.search === "us")).toBe(false);
    expect(await findRow("dev-000042")).toBeInTheDocument();
    expect(within(grid()).getAllByTestId("device-row")).toHaveLength(1);
    expect(screen.getByTestId("result-count")).toHaveTextContent("1 match");
  });

  test("platform and readiness filters are sent with the query", async () => {
    const { backend, user } = await renderApp({ rows: makeRows(500) });
    await user.selectOptions(screen.getByTestId("platform-filter"), "ios");
    await waitFor(() => {
      expect(backend.queries().at(-1)).toMatchObject({ platform: "ios", readiness: null });
    });
    await user.selectOptions(screen.getByTestId("readiness-filter"), "blocked");
    await waitFor(() => {
      expect(backend.queries().at(-1)).toMatchObject({ platform: "ios", readiness: "blocked" });
    });
    for (const row of await screen.findAllByTestId("device-row")) {
      expect(row).toHaveTextContent("iOS");
      expect(row).toHaveTextContent("Blocked");
    }
  });

  test("/ and Ctrl+F focus the search box", async () => {
    const { user } = await renderApp({ rows: makeRows(10) });
    const search = screen.getByTestId("device-search");
    act(() => {
      document.querySelector<HTMLElement>('[data-device-id="dev-000000"]')?.focus();
    });
    await user.keyboard("/");
    expect(search).toHaveFocus();
    expect(search).toHaveValue("");
    act(() => {
      document.querySelector<HTMLElement>('[data-device-id="dev-000000"]')?.focus();
    });
    fireEvent.keyDown(window, { key: "f", ctrlKey: true });
    expect(search).toHaveFocus();
  });

  test("empty state: No devices match", async () => {
    const { user } = await renderApp({ rows: makeRows(10) });
    await user.type(screen.getByTestId("device-search"), "nothing-like-this");
    expect(await screen.findByText("No devices match")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Clear filters" }));
    expect(await screen.findAllByTestId("device-row")).toHaveLength(10);
  });

  test("error state shows the ApiError message and fix, and Retry recovers", async () => {
    let fail = true;
    const rows = makeRows(5);
    const { user } = await renderApp(
      {
        rows,
        answers: {
          list_devices: ({ query }) => {
            if (fail) throw apiError("service_failed", "The MDM did not answer.", "Check the MDM connection in Settings.");
            return { total: rows.length, offset: query.offset, items: rows.slice(query.offset, query.offset + query.limit) };
          },
        },
      },
      { waitForRows: false },
    );
    const notice = await screen.findByTestId("devices-error");
    expect(notice).toHaveTextContent("The MDM did not answer.");
    expect(notice).toHaveTextContent("Check the MDM connection in Settings.");
    expect(notice).toHaveAttribute("data-error-code", "service_failed");
    fail = false;
    await user.click(within(notice).getByRole("button", { name: "Retry" }));
    expect(await screen.findAllByTestId("device-row")).toHaveLength(5);
  });
});
