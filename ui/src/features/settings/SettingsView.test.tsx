import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { SettingsView } from "../../bindings/SettingsView";
import { apiError, defaultSettings, type FakeOptions } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

async function openSettings(options: FakeOptions = {}) {
  const rendered = await renderApp(options);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  const view = await screen.findByTestId("settings-view");
  await within(view).findByTestId("settings-file");
  return { ...rendered, view };
}

function withEntry(key: string, patch: Partial<SettingsView["entries"][number]>): SettingsView {
  const settings = defaultSettings();
  return { ...settings, entries: settings.entries.map((e) => (e.key === key ? { ...e, ...patch } : e)) };
}

describe("settings view", () => {
  test("shows every section with the values in effect and where they come from", async () => {
    const settings = withEntry("store.url", {
      value: "postgres://agent@db.example/help",
      saved: "/data/team.db",
      source: "env",
      overridden: true,
    });
    const { view } = await openSettings({ settings });
    expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Settings");
    expect(within(view).getByTestId("settings-file")).toHaveTextContent("/tmp/helpatwork/settings.json");
    for (const name of ["Language", "TeamViewer sign-in", "MDM connector", "Store", "TeamViewer desktop client"]) {
      expect(within(view).getByRole("heading", { level: 2, name })).toBeInTheDocument();
    }
    expect(within(view).getByTestId("setting-input-store.url")).toHaveValue("/data/team.db");
    expect(within(view).getByTestId("setting-source-store.url")).toHaveTextContent(
      "In effect from HELPATWORK_DATABASE_URL; the saved value applies when it is unset.",
    );
    expect(within(view).getByTestId("settings-redirect")).toHaveTextContent("http://127.0.0.1:<any port>/callback");
    // OAuth by default: the app credentials, not the token.
    expect(within(view).getByLabelText("App client ID")).toBeInTheDocument();
    expect(within(view).queryByLabelText("Script token")).not.toBeInTheDocument();
    // The embedded fleet by default: no Ivanti fields.
    expect(within(view).queryByLabelText("Ivanti tenant URL")).not.toBeInTheDocument();
    // The empty choice says what the default is.
    expect(within(within(view).getByLabelText("Connector")).getAllByRole("option")[0]).toHaveTextContent(
      "Default: Embedded fleet",
    );
    // The fake back end is the demo: its settings are its own.
    expect(within(view).getByTestId("settings-demo")).toHaveTextContent("only the language applies");
  });

  test("saving a value with the keyboard says a restart applies it", async () => {
    const { user, view, backend } = await openSettings();
    const input = within(view).getByLabelText("App client ID");
    await user.click(input);
    await user.keyboard("12345-abcdef{Enter}");
    const saved = await within(view).findByTestId("setting-saved-teamviewer.client_id");
    expect(saved).toHaveTextContent("Saved. Restart Help@Work Desk to apply this change.");
    expect(backend.callsOf("set_setting")).toEqual([{ key: "teamviewer.client_id", value: "12345-abcdef" }]);
    expect(within(view).getByTestId("setting-source-teamviewer.client_id")).toHaveTextContent("Saved in the settings file.");
  });

  test("choosing Ivanti shows its fields; the password goes to the keyring and is never shown", async () => {
    const { user, view, backend } = await openSettings();
    await user.selectOptions(within(view).getByLabelText("Connector"), "ivanti");
    await user.click(within(view).getByTestId("setting-save-mdm.connector"));
    const password = await within(view).findByLabelText("API password");
    expect(password).toHaveAttribute("type", "password");
    await user.type(password, "s3cret{Enter}");
    await within(view).findByTestId("setting-saved-ivanti.password");
    expect(backend.callsOf("set_setting").at(-1)).toEqual({ key: "ivanti.password", value: "s3cret" });
    expect(within(view).getByLabelText("API password")).toHaveValue("");
    expect(within(view).getByLabelText("API password")).toHaveAttribute("placeholder", "Saved in the OS keyring (not shown)");
    expect(view).not.toHaveTextContent("s3cret");
    await user.click(within(view).getByTestId("setting-forget-ivanti.password"));
    await waitFor(() => {
      expect(backend.callsOf("set_setting").at(-1)).toEqual({ key: "ivanti.password", value: "" });
    });
  });

  test("with Ivanti, the optional app inventory (CPS) access has its own user and keyring password", async () => {
    const { user, view, backend } = await openSettings();
    await user.selectOptions(within(view).getByLabelText("Connector"), "ivanti");
    await user.click(within(view).getByTestId("setting-save-mdm.connector"));
    expect(await within(view).findByTestId("settings-cps-hint")).toHaveTextContent("the apps stay unknown");
    const password = within(view).getByLabelText("App inventory (CPS) password");
    expect(password).toHaveAttribute("type", "password");
    await user.type(within(view).getByLabelText("App inventory (CPS) user"), "cps@tenant.example{Enter}");
    await within(view).findByTestId("setting-saved-ivanti.cps_user");
    expect(backend.callsOf("set_setting").at(-1)).toEqual({ key: "ivanti.cps_user", value: "cps@tenant.example" });
    expect(within(view).getByLabelText("App inventory calls a minute")).toBeInTheDocument();
  });

  test("a refused value shows the message and the fix, and the saved value stays", async () => {
    const { user, view } = await openSettings({
      answers: {
        set_setting: ({ key }) => {
          throw apiError(
            "invalid_input",
            `The ${key} "postgres://agent:<redacted>@db/help" holds a password, and settings never keep passwords in a file.`,
            "Remove the password from the URL and put it in a PGPASSFILE (~/.pgpass), or set HELPATWORK_DATABASE_URL in the environment.",
          );
        },
      },
    });
    const input = within(view).getByLabelText("SQLite path or PostgreSQL URL");
    await user.type(input, "postgres://agent:pw@db/help{Enter}");
    const error = await within(view).findByTestId("setting-error-store.url");
    expect(error).toHaveTextContent("The setting was not saved");
    expect(error).toHaveTextContent("holds a password");
    expect(error).toHaveTextContent("PGPASSFILE");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(within(view).getByTestId("setting-source-store.url")).toHaveTextContent("Not set: the default applies.");
  });

  test("Test connection shows the answer, or the error with its fix", async () => {
    const { user, view, backend } = await openSettings({
      answers: {
        test_setting: ({ target }) => {
          if (target === "mdm") {
            throw apiError("service_failed", "Ivanti Neurons for MDM refused the API user (401).", "Check ivanti.user and ivanti.password.");
          }
          return { target, message: "TeamViewer desktop client 15.75.1 (/opt/teamviewer)", notes: ["CVE-2024-7479: update to 15.58.4"] };
        },
      },
    });
    await user.click(within(within(view).getByTestId("settings-desktop")).getByRole("button", { name: "Test connection" }));
    const ok = await within(view).findByTestId("test-ok-desktop");
    expect(ok).toHaveTextContent("Connection works");
    expect(ok).toHaveTextContent("15.75.1");
    expect(ok).toHaveTextContent("CVE-2024-7479");
    await user.click(within(within(view).getByTestId("settings-mdm")).getByRole("button", { name: "Test connection" }));
    const failed = await within(view).findByTestId("test-error-mdm");
    expect(failed).toHaveTextContent("The test failed");
    expect(failed).toHaveTextContent("refused the API user");
    expect(failed).toHaveTextContent("Check ivanti.user and ivanti.password.");
    expect(backend.callsOf("test_setting")).toEqual([{ target: "desktop" }, { target: "mdm" }]);
  });

  test("the language applies at once, through the same command as the header", async () => {
    const { user, view, backend } = await openSettings();
    await user.selectOptions(within(view).getByTestId("settings-lang"), "pt-BR");
    await waitFor(() => {
      expect(within(view).getByRole("heading", { level: 1 })).toHaveTextContent("Configurações");
    });
    expect(backend.lang()).toBe("pt-BR");
    expect(within(view).getByRole("heading", { level: 2, name: "Conector MDM" })).toBeInTheDocument();
  });

  test("loading failure shows the message, the fix and Retry", async () => {
    let calls = 0;
    const rendered = await renderApp({
      answers: {
        get_settings: () => {
          calls += 1;
          if (calls === 1) {
            throw apiError("invalid_input", "The settings file /tmp/helpatwork/settings.json is not valid: EOF.", "Correct or delete /tmp/helpatwork/settings.json.");
          }
          return defaultSettings();
        },
      },
    });
    await rendered.user.click(screen.getByTestId("nav-settings"));
    const error = await screen.findByTestId("settings-error");
    expect(error).toHaveTextContent("The settings could not be loaded");
    expect(error).toHaveTextContent("is not valid");
    expect(error).toHaveTextContent("Correct or delete");
    await rendered.user.click(within(error).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("settings-file")).toBeInTheDocument();
  });
});
