import { screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { apiError, makeRows } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

const IVANTI = { mdm: "Ivanti Neurons for MDM", can_sync: true };

describe("devices sync from the MDM", () => {
  test("the embedded fleet has no sync button", async () => {
    await renderApp({ rows: makeRows(3) });
    expect(screen.queryByTestId("sync-start")).not.toBeInTheDocument();
  });

  test("sync shows progress, then the outcome, and reloads the list", async () => {
    const { backend, user } = await renderApp({ rows: makeRows(3), info: IVANTI });
    const listsBefore = backend.calls.filter((c) => c.cmd === "list_devices").length;
    await user.click(screen.getByRole("button", { name: "Sync from Ivanti Neurons for MDM" }));
    expect(await screen.findByTestId("sync-done")).toHaveTextContent(
      "Synced 1,000 devices: 990 new, 10 changed, 3 removed.",
    );
    await waitFor(() => {
      expect(backend.calls.filter((c) => c.cmd === "list_devices").length).toBeGreaterThan(listsBefore);
    });
  });

  test("progress is shown while pages arrive, and Cancel stops after the page", async () => {
    let release: () => void = () => undefined;
    const { backend, user } = await renderApp({
      rows: makeRows(3),
      info: IVANTI,
      answers: {
        sync_devices: ({ onProgress }, fake) => {
          onProgress.onmessage({ read: 1500, total: 100_000 });
          return new Promise((resolve) => {
            release = () => {
              resolve({
                connector: "Ivanti Neurons for MDM",
            mode: "full",
            since: null,
                resumed: false,
                pages: 3,
                devices: 1500,
                inserted: 1500,
                updated: 0,
                unchanged: 0,
                removed: 0,
                skipped: 0,
                sessions_ended: 0,
                cancelled: fake.syncCancelled(),
                warnings: [],
                warnings_total: 0,
              });
            };
          });
        },
      },
    });
    await user.click(screen.getByTestId("sync-start"));
    expect(await screen.findByText("1,500 of 100,000 devices")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Syncing devices from Ivanti Neurons for MDM" })).toHaveAttribute(
      "value",
      "1500",
    );
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(backend.calls.some((c) => c.cmd === "cancel_sync")).toBe(true);
    expect(screen.getByTestId("sync-cancel")).toBeDisabled();
    release();
    expect(await screen.findByTestId("sync-done")).toHaveTextContent("Sync stopped.");
  });

  test("what the sync dropped is listed with its fix", async () => {
    const { user } = await renderApp({
      rows: makeRows(3),
      info: IVANTI,
      answers: {
        sync_devices: () =>
          Promise.resolve({
            connector: "Ivanti Neurons for MDM",
            mode: "full",
            since: null,
            resumed: false,
            pages: 1,
            devices: 3,
            inserted: 3,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: 0,
            cancelled: false,
            warnings: [
              {
                device_id: "1000008",
                field: "user.email",
                message: 'The user.email was dropped ("bruno(at)example" is not an e-mail address).',
                fix: "Correct the user's details in the MDM; the next sync takes them.",
              },
            ],
            warnings_total: 4,
            sessions_ended: 0,
          }),
      },
    });
    await user.click(screen.getByTestId("sync-start"));
    const warnings = await screen.findByTestId("sync-warnings");
    expect(warnings).toHaveTextContent("1000008");
    expect(warnings).toHaveTextContent("Correct the user's details in the MDM");
    expect(warnings).toHaveTextContent("and 3 more");
  });

  test("a failed sync shows the message and the fix, and can be tried again", async () => {
    const { user } = await renderApp({
      rows: makeRows(3),
      info: IVANTI,
      answers: {
        sync_devices: () => {
          throw apiError(
            "service_failed",
            "Ivanti Neurons for MDM had a server error (HTTP 503)",
            "Try again in a moment: the MDM is having trouble; if it persists, tell the MDM administrator.",
          );
        },
      },
    });
    await user.click(screen.getByTestId("sync-start"));
    const error = await screen.findByTestId("sync-error");
    expect(error).toHaveTextContent("HTTP 503");
    expect(error).toHaveTextContent("Try again in a moment");
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
