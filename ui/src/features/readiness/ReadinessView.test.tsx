import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { makeRows } from "../../test/fakeBackend";
import { makeBoard } from "../../test/fake/readiness";
import { renderApp } from "../../test/render";
import { points } from "./Sparkline";

async function openReadiness(options: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp({ rows: makeRows(200), ...options });
  await app.user.click(screen.getByTestId("nav-readiness"));
  return app;
}

describe("the Readiness view", () => {
  test("paints the stored board with its time at once, then the fresh one", async () => {
    const { backend } = await openReadiness({
      hold: ["refresh_readiness"],
      readiness: {
        stored: makeBoard(200, "2026-12-06T09:00:00.000Z"),
        fresh: makeBoard(210, "2026-12-06T10:00:00.000Z"),
      },
    });
    expect(await screen.findByTestId("readiness-helpable")).toHaveTextContent("of 200 devices can be helped now");
    expect(screen.getByTestId("readiness-refreshing")).toBeInTheDocument();
    const stamp = screen.getByTestId("readiness-computed-at").textContent;
    backend.release("refresh_readiness");
    await waitFor(() => {
      expect(screen.getByTestId("readiness-helpable")).toHaveTextContent("of 210 devices");
    });
    expect(screen.getByTestId("readiness-computed-at").textContent).not.toBe(stamp);
    expect(backend.callsOf("refresh_readiness")).toEqual([{ offlineDays: 7 }]);
  });

  test("without a stored board it says it computes one, then shows it", async () => {
    const { backend } = await openReadiness({ hold: ["refresh_readiness"], readiness: { stored: null } });
    expect(await screen.findByTestId("readiness-loading")).toHaveTextContent("No board computed yet");
    backend.release("refresh_readiness");
    expect(await screen.findByTestId("readiness-group-view_only")).toBeInTheDocument();
  });

  test("each group has its count, its share and a named line; the modes are tabs", async () => {
    const { user } = await openReadiness();
    const group = await screen.findByTestId("readiness-group-view_only");
    expect(within(group).getByTestId("group-count")).toHaveTextContent("30");
    expect(group).toHaveTextContent("15 % of the fleet");
    expect(within(group).getByRole("img", { name: /View only \(no add-on\): devices over the last 14 days, from 56 to 30/ })).toBeInTheDocument();
    const attended = screen.getByRole("tab", { name: "Attended" });
    attended.focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Unattended" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tab", { name: "Unattended" })).toHaveFocus();
    expect(await screen.findByTestId("readiness-group-host_not_distributed")).toBeInTheDocument();
    expect(screen.queryByTestId("readiness-group-view_only")).not.toBeInTheDocument();
  });

  test("a group opens the devices table on its devices; the Devices tab clears it", async () => {
    const { backend, user } = await openReadiness();
    const group = await screen.findByTestId("readiness-group-quicksupport");
    await user.click(within(group).getByTestId("group-devices"));
    expect(await screen.findByTestId("group-filter")).toHaveTextContent("QuickSupport missing or unmanaged (Attended): 12 devices");
    await waitFor(() => {
      expect(screen.getAllByTestId("device-row")).toHaveLength(12);
    });
    expect(backend.queries().at(-1)?.ids).toHaveLength(12);
    await user.click(screen.getByTestId("nav-devices"));
    expect(screen.queryByTestId("group-filter")).not.toBeInTheDocument();
  });

  test("a fix shows its dry run first, then runs with progress and each device's outcome", async () => {
    const { backend, user } = await openReadiness();
    const group = await screen.findByTestId("readiness-group-view_only");
    await user.click(within(group).getByTestId("group-fix"));
    const dialog = await screen.findByTestId("fix-dialog");
    expect(await within(dialog).findByTestId("fix-changes")).toHaveTextContent("30 devices would change");
    expect(within(dialog).getByTestId("fix-licences")).toHaveTextContent("Takes no unattended licence");
    expect(backend.callsOf("run_fix")).toHaveLength(0);
    await user.click(within(dialog).getByTestId("fix-run"));
    expect(await within(dialog).findByTestId("fix-outcomes")).toHaveTextContent("Done: 30 fixed, 0 failed.");
    expect(within(dialog).getAllByTestId("fix-outcome")).toHaveLength(30);
  });

  test("Cancel stops a running fix", async () => {
    const { backend, user } = await openReadiness({ hold: ["run_fix"] });
    await user.click(within(await screen.findByTestId("readiness-group-view_only")).getByTestId("group-fix"));
    const dialog = await screen.findByTestId("fix-dialog");
    await user.click(await within(dialog).findByTestId("fix-run"));
    expect(within(dialog).getByTestId("fix-progress")).toBeInTheDocument();
    await user.click(within(dialog).getByTestId("fix-cancel"));
    expect(backend.callsOf("cancel_fix")).toHaveLength(1);
    backend.release("run_fix");
    expect(await within(dialog).findByTestId("fix-outcomes")).toHaveTextContent("Cancelled: 1 of 30 devices handled.");
  });

  test("a fix the connector cannot do is refused and offers the CSV export", async () => {
    const { backend, user } = await openReadiness();
    await user.click(within(await screen.findByTestId("readiness-group-offline")).getByTestId("group-fix"));
    const dialog = await screen.findByTestId("fix-dialog");
    expect(await within(dialog).findByTestId("fix-refused")).toHaveTextContent("The embedded fleet cannot force a check-in.");
    expect(within(dialog).queryByTestId("fix-run")).not.toBeInTheDocument();
    await user.click(within(dialog).getByTestId("fix-export"));
    expect(await within(dialog).findByTestId("fix-exported")).toHaveTextContent("helpatwork-offline-attended-20261206-100000.csv (9 devices)");
    expect(backend.callsOf("export_group")).toEqual([{ mode: "attended", group: "offline", offlineDays: 7 }]);
  });

  test("U3: a Host distribution shows the licences it takes and is refused beyond those free", async () => {
    const { user } = await openReadiness({ admin: { purchased: 5 } });
    await user.click(await screen.findByRole("tab", { name: "Unattended" }));
    await user.click(within(await screen.findByTestId("readiness-group-host_not_distributed")).getByTestId("group-fix"));
    const dialog = await screen.findByTestId("fix-dialog");
    expect(await within(dialog).findByTestId("fix-licences")).toHaveTextContent("Unattended licences: 18 taken, 4 free (U3)");
    expect(within(dialog).getByTestId("fix-refused")).toBeInTheDocument();
  });

  test("in pt-BR", async () => {
    await openReadiness({ lang: "pt-BR" });
    expect(await screen.findByRole("heading", { level: 1, name: "Prontidão" })).toBeInTheDocument();
    expect(screen.getByRole("tab", { name: "Não assistido" })).toBeInTheDocument();
    expect(screen.getByTestId("readiness-computed-at")).toHaveTextContent("Calculado em");
  });

  test("the sparkline has a point a day, the highest at the top", () => {
    const board = makeBoard(100, "2026-12-06T10:00:00.000Z", 3);
    const line = points(board.modes[0]?.series ?? [], "view_only", 100, 20);
    expect(line?.split(" ")).toHaveLength(3);
    expect(line?.startsWith("0.0,1.0")).toBe(true);
    expect(points([], "view_only", 100, 20)).toBeNull();
  });
});
