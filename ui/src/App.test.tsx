import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { apiError } from "./test/fakeBackend";
import { openActions, openDevice, renderApp } from "./test/render";

describe("window header", () => {
  test("shows the product, a Demo badge in demo mode and the device count", async () => {
    await renderApp({ info: { demo: true, device_count: 12345 } });
    expect(screen.getByText("Help@Work Desk")).toBeInTheDocument();
    expect(screen.getByTestId("demo-badge")).toHaveTextContent("Demo");
    expect(screen.getByTestId("device-count")).toHaveTextContent("12,345 devices");
  });

  test("standing warnings (a TeamViewer host outside teamviewer.com) show under the header", async () => {
    const warning = "TeamViewer is configured at api.evil.example, outside TeamViewer's domain.";
    await renderApp({ info: { warnings: [warning] } });
    expect(await screen.findByTestId("standing-warnings")).toHaveTextContent(warning);
  });

  test("no warnings, no banner", async () => {
    await renderApp({});
    expect(screen.queryByTestId("standing-warnings")).not.toBeInTheDocument();
  });

  test("no Demo badge outside demo mode", async () => {
    await renderApp({ info: { demo: false } });
    expect(screen.queryByTestId("demo-badge")).not.toBeInTheDocument();
  });

  test("the initial language comes from app_info", async () => {
    await renderApp({ info: { lang: "pt-BR" } });
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Dispositivos");
    expect(screen.getByTestId("lang-switch")).toHaveValue("pt-BR");
    expect(document.documentElement.lang).toBe("pt-BR");
  });

  test("when the back end does not start, the error and its fix are shown", async () => {
    await renderApp(
      {
        answers: {
          app_info: () => {
            throw apiError("internal", "The store could not be opened.", "Check HELPATWORK_DATA_DIR.");
          },
        },
      },
      { waitForRows: false },
    );
    const error = await screen.findByTestId("app-error");
    expect(error).toHaveTextContent("The store could not be opened.");
    expect(error).toHaveTextContent("Check HELPATWORK_DATA_DIR.");
  });
});

describe("language switch", () => {
  test("pt-BR: persists via set_language, refetches devices and uses the spec's words", async () => {
    const { user, backend } = await renderApp();
    const listsBefore = backend.queries().length;
    await user.selectOptions(screen.getByTestId("lang-switch"), "pt-BR");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Dispositivos");
    await waitFor(() => {
      expect(backend.calls.find((c) => c.cmd === "set_language")?.args).toEqual({ lang: "pt-BR" });
    });
    // Back-end texts are localized: the device pages are fetched again.
    await waitFor(() => {
      expect(backend.queries().length).toBeGreaterThan(listsBefore);
    });
    expect(screen.getByRole("columnheader", { name: "Prontidão do Help@Work" })).toBeInTheDocument();

    let panel = await openDevice(user, "and-001", "Ana's Galaxy");
    expect(within(panel).getByTestId("actions-button")).toHaveTextContent("Ações");
    let menu = await openActions(user, panel);
    expect(within(menu).getByTestId("remote-action")).toHaveAccessibleName("Iniciar controle remoto do TeamViewer");
    await user.click(within(menu).getByTestId("remote-action"));
    const dialog = await screen.findByTestId("mode-dialog");
    expect(within(dialog).getByTestId("mode-attended")).toHaveTextContent("Modo assistido (padrão)");
    expect(within(dialog).getByTestId("mode-unattended")).toHaveTextContent("Modo autônomo (disponível apenas no Android)");
    await user.keyboard("{Escape}");

    panel = await openDevice(user, "ios-001", "Bruno's iPhone");
    menu = await openActions(user, panel);
    expect(within(menu).getByTestId("remote-action")).toHaveAccessibleName("Exibição remota");
  });
});

describe("navigation", () => {
  test("Devices | Readiness | Help requests | Sessions | Admin: the current view is marked, and switching keeps it in memory", async () => {
    const { user } = await renderApp();
    const nav = screen.getByRole("navigation", { name: "Views" });
    const buttons = within(nav).getAllByRole("button");
    expect(buttons.map((b) => b.textContent)).toEqual(["Devices", "Readiness", "Help requests", "Sessions", "Approvals", "Audit", "Admin", "Settings"]);
    expect(screen.getByTestId("nav-devices")).toHaveAttribute("aria-current", "page");

    await user.click(screen.getByTestId("nav-sessions"));
    expect(await screen.findByTestId("sessions-view")).toBeInTheDocument();
    expect(screen.getByTestId("nav-sessions")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("nav-devices")).not.toHaveAttribute("aria-current");
    expect(screen.queryByTestId("device-search")).not.toBeInTheDocument();

    await user.click(screen.getByTestId("nav-admin"));
    expect(await screen.findByTestId("admin-view")).toBeInTheDocument();
    await user.click(screen.getByTestId("nav-devices"));
    expect(await screen.findAllByTestId("device-row")).not.toHaveLength(0);
  });

  test("keyboard: arrows move between the views, Enter opens one", async () => {
    const { user } = await renderApp();
    screen.getByTestId("nav-devices").focus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-readiness")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-inbox")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-sessions")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-approvals")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-audit")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-admin")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-settings")).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByTestId("nav-devices")).toHaveFocus();
    await user.keyboard("{End}");
    expect(screen.getByTestId("nav-settings")).toHaveFocus();
    await user.keyboard("{ArrowLeft}{Enter}");
    expect(await screen.findByTestId("admin-view")).toBeInTheDocument();
    expect(screen.getByTestId("nav-admin")).toHaveAttribute("aria-current", "page");
    await user.keyboard("{Home}{ArrowRight}{ArrowRight} ");
    expect(await screen.findByTestId("inbox-view")).toBeInTheDocument();
  });

  test("pt-BR: Dispositivos | Sessões | Administrador", async () => {
    await renderApp({ info: { lang: "pt-BR" } });
    const nav = screen.getByRole("navigation", { name: "Visões" });
    expect(within(nav).getAllByRole("button").map((b) => b.textContent)).toEqual([
      "Dispositivos",
      "Prontidão",
      "Pedidos de ajuda",
      "Sessões",
      "Aprovações",
      "Auditoria",
      "Administrador",
      "Configurações",
    ]);
  });
});
