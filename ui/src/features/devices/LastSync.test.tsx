import { screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { makeRows } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

const IVANTI = { mdm: "Ivanti Neurons for MDM", can_sync: true };

describe("the last devices sync is always shown", () => {
  test("the embedded fleet shows no sync line", async () => {
    const { backend } = await renderApp({ rows: makeRows(3) });
    await waitFor(() => {
      expect(backend.calls.some((c) => c.cmd === "list_devices")).toBe(true);
    });
    expect(screen.queryByTestId("sync-last")).not.toBeInTheDocument();
    expect(backend.calls.some((c) => c.cmd === "sync_status")).toBe(false);
  });

  test("before any sync it says so, with the background schedule", async () => {
    await renderApp({ rows: makeRows(3), info: IVANTI });
    expect(await screen.findByTestId("sync-last")).toHaveTextContent("Not synced yet. · syncs every 15 min");
  });

  test("a background sync's time and outcome, and a failure with its message", async () => {
    await renderApp({
      rows: makeRows(3),
      info: IVANTI,
      syncStatus: {
        last_run_at: "2026-12-07T09:15:00Z",
        last_mode: "incremental",
        last_outcome: "failed",
        last_error: "Ivanti Neurons for MDM answered HTTP 503.",
        last_devices: 0,
      },
    });
    const line = await screen.findByTestId("sync-last");
    expect(line).toHaveTextContent(/Last sync: .+ \(changes only, failed:, 0 devices\) Ivanti Neurons for MDM answered HTTP 503\./);
    expect(line).toHaveClass("sync__last--failed");
  });

  test("after a sync from the window the line follows it, in pt-BR too", async () => {
    const { user } = await renderApp({ rows: makeRows(3), info: { ...IVANTI, lang: "pt-BR" } });
    expect(await screen.findByTestId("sync-last")).toHaveTextContent("Ainda não sincronizado.");
    await user.click(screen.getByTestId("sync-start"));
    await screen.findByTestId("sync-done");
    expect(await screen.findByText(/Última sincronização: .+ \(completa, ok, 1\.000 dispositivos\)/)).toBeInTheDocument();
  });
});
