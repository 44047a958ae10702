import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { ANDROID_DEVICE, IOS_DEVICE, IVANTI_IOS_DEVICE, MAM_REASON } from "../../test/fakeBackend";
import { findRow, openActions, openDevice, renderApp } from "../../test/render";

describe("detail panel", () => {
  test("shows the device's facts, installed apps and eligibility per mode", async () => {
    const { user } = await renderApp();
    const panel = await openDevice(user, "ios-001", "Bruno's iPhone");
    const facts = within(panel).getByRole("region", { name: "Facts" });
    expect(facts).toHaveTextContent("bruno@example.com");
    expect(facts).toHaveTextContent("iOS 17.4");
    expect(facts).toHaveTextContent("Apple iPhone 15");
    expect(facts).toHaveTextContent("Host one-time activation");
    const apps = within(panel).getByRole("table", { name: "Installed apps" });
    expect(within(apps).getByRole("rowheader", { name: "TeamViewer QuickSupport" })).toBeInTheDocument();
    expect(within(apps).getByText("15.60.1")).toBeInTheDocument();
    const eligibility = within(panel).getByRole("region", { name: "Eligibility per mode" });
    expect(eligibility).toHaveTextContent("iOS allows view only, not control.");
    expect(eligibility).toHaveTextContent("Not supported");
  });

  test("a fact the MDM cannot report reads Unknown, never No or none", async () => {
    const { user } = await renderApp({ details: [ANDROID_DEVICE, IVANTI_IOS_DEVICE] });
    const panel = await openDevice(user, "1000007", "Elisa's iPhone");
    const facts = within(panel).getByRole("region", { name: "Facts" });
    expect(within(facts).getByText("Host one-time activation").nextSibling).toHaveTextContent("Unknown");
    expect(facts).toHaveTextContent("Ivanti Neurons for MDM");
    const apps = within(panel).getByRole("region", { name: "Installed apps" });
    expect(within(apps).getByTestId("apps-unknown")).toHaveTextContent(
      "Unknown: Ivanti Neurons for MDM does not report the device's installed apps",
    );
    expect(apps).not.toHaveTextContent("No TeamViewer apps installed.");
    expect(within(apps).queryByRole("table")).not.toBeInTheDocument();
    const management = within(panel).getByRole("region", { name: "Management" });
    expect(within(management).getByText("Jailbroken or rooted").nextSibling).toHaveTextContent("Unknown");
    expect(within(management).getByText("Quarantined").nextSibling).toHaveTextContent("No");
    expect(within(management).getByText("Ownership").nextSibling).toHaveTextContent("Employee");
    expect(within(management).getByText("MDM client").nextSibling).toHaveTextContent("Unknown");
  });

  test("pt-BR: unknown facts read Desconhecido", async () => {
    const { user } = await renderApp({ info: { lang: "pt-BR" }, details: [ANDROID_DEVICE, IVANTI_IOS_DEVICE] });
    const panel = await openDevice(user, "1000007", "Elisa's iPhone");
    const apps = within(panel).getByTestId("apps-unknown");
    expect(apps).toHaveTextContent("Desconhecidos: o Ivanti Neurons for MDM não informa");
    const management = within(panel).getByRole("region", { name: "Gerenciamento" });
    expect(within(management).getByText("Modo perdido").nextSibling).toHaveTextContent("Desconhecido");
  });

  test("an app flag the source does not report reads Unknown in the apps table", async () => {
    const partial = {
      ...IVANTI_IOS_DEVICE,
      apps: [{ app: "quicksupport" as const, version: null, managed: true, allowlisted: null, installing: true }],
    };
    const { user } = await renderApp({ details: [ANDROID_DEVICE, partial] });
    const panel = await openDevice(user, "1000007", "Elisa's iPhone");
    const table = within(panel).getByRole("table", { name: "Installed apps" });
    const row = within(table).getByRole("row", { name: /TeamViewer QuickSupport/ });
    expect(row).toHaveTextContent("installing");
    expect(within(row).getAllByText("Unknown")).toHaveLength(2);
    expect(within(row).getByText("Yes")).toBeInTheDocument();
  });

  test("the device's MDM labels are listed, None when it is in none, and Unknown to the MDM that cannot report them", async () => {
    const { user } = await renderApp({ details: [ANDROID_DEVICE, IOS_DEVICE, IVANTI_IOS_DEVICE] });
    let panel = await openDevice(user, "and-001", "Ana's Galaxy");
    let management = within(panel).getByRole("region", { name: "Management" });
    expect(within(management).getByText("Labels").nextSibling).toHaveTextContent("Warehouse, Store 12");
    panel = await openDevice(user, "ios-001", "Bruno's iPhone");
    management = within(panel).getByRole("region", { name: "Management" });
    expect(within(management).getByText("Labels").nextSibling).toHaveTextContent(/^None$/);
    panel = await openDevice(user, "1000007", "Elisa's iPhone");
    management = within(panel).getByRole("region", { name: "Management" });
    expect(within(management).getByText("Labels").nextSibling).toHaveTextContent(
      "Unknown to Ivanti Neurons for MDM: it did not report them, so a policy on a label is not applied.",
    );
  });

  test("pt-BR: labels unknown to the fleet file say so", async () => {
    const { user } = await renderApp({ info: { lang: "pt-BR" }, details: [{ ...ANDROID_DEVICE, labels: null }] });
    const panel = await openDevice(user, "and-001", "Ana's Galaxy");
    const management = within(panel).getByRole("region", { name: "Gerenciamento" });
    expect(within(management).getByText("Rótulos").nextSibling).toHaveTextContent(
      "Desconhecidos: o arquivo da frota não os declara",
    );
  });

  test("the device's locale is shown as its source reports it, and Unknown to the MDM that does not report it", async () => {
    const { user } = await renderApp({ details: [ANDROID_DEVICE, IVANTI_IOS_DEVICE] });
    let panel = await openDevice(user, "and-001", "Ana's Galaxy");
    let facts = within(panel).getByRole("region", { name: "Facts" });
    expect(within(facts).getByText("Locale").nextSibling).toHaveTextContent(/^pt-BR$/);
    panel = await openDevice(user, "1000007", "Elisa's iPhone");
    facts = within(panel).getByRole("region", { name: "Facts" });
    expect(within(facts).getByText("Locale").nextSibling).toHaveTextContent(
      "Unknown to Ivanti Neurons for MDM: it did not report it, so the coaching card speaks the product's language.",
    );
  });

  test("pt-BR: a locale unknown to the fleet file says so", async () => {
    const { user } = await renderApp({ info: { lang: "pt-BR" }, details: [{ ...ANDROID_DEVICE, locale: null }] });
    const panel = await openDevice(user, "and-001", "Ana's Galaxy");
    const facts = within(panel).getByRole("region", { name: "Informações" });
    expect(within(facts).getByText("Localidade").nextSibling).toHaveTextContent(
      "Desconhecida: o arquivo da frota não a declara",
    );
  });

  test("Esc in the panel closes it and returns focus to the device row", async () => {
    const { user } = await renderApp();
    const panel = await openDevice(user, "and-001", "Ana's Galaxy");
    await user.click(within(panel).getByTestId("actions-button"));
    await user.keyboard("{Escape}"); // closes the menu first
    expect(screen.getByTestId("device-detail")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await waitFor(() => {
      expect(screen.queryByTestId("device-detail")).not.toBeInTheDocument();
    });
    expect(document.querySelector('[data-device-id="and-001"]')).toHaveFocus();
  });

  test("a device that cannot be loaded shows the error with its fix", async () => {
    const { user } = await renderApp({
      details: [],
      rows: [
        {
          id: "gone-1",
          name: "Removed phone",
          user_name: "X",
          user_email: "x@example.com",
          platform: "android",
          os_version: "14",
          manufacturer: "Samsung",
          model: "A54",
          online: false,
          last_checkin: "2026-01-01T00:00:00Z",
          readiness: "ready",
        },
      ],
    });
    await user.click(await findRow("gone-1"));
    const alert = await within(await screen.findByTestId("device-detail")).findByRole("alert");
    expect(alert).toHaveTextContent("No device gone-1.");
    expect(alert).toHaveTextContent("Check the device ID.");
  });
});

describe("Actions menu (S1, L2)", () => {
  test("S1: Android shows Start TeamViewer remote control", async () => {
    const { user } = await renderApp();
    const panel = await openDevice(user, "and-001", "Ana's Galaxy");
    const menu = await openActions(user, panel);
    const item = within(menu).getByTestId("remote-action");
    expect(item).toHaveAccessibleName("Start TeamViewer remote control");
    expect(item).not.toHaveAttribute("aria-disabled");
    await user.click(item);
    expect(await screen.findByTestId("mode-dialog")).toBeInTheDocument();
  });

  test("S1: iOS shows Remote view", async () => {
    const { user } = await renderApp();
    const panel = await openDevice(user, "ios-001", "Bruno's iPhone");
    const menu = await openActions(user, panel);
    expect(within(menu).getByTestId("remote-action")).toHaveAccessibleName("Remote view");
    expect(within(menu).queryByText("Start TeamViewer remote control")).not.toBeInTheDocument();
  });

  test("L2: a MAM-only iOS device shows the item disabled with the reason", async () => {
    const { user } = await renderApp();
    const panel = await openDevice(user, "ios-mam", "Carla's iPad");
    const menu = await openActions(user, panel);
    const item = within(menu).getByTestId("remote-action");
    expect(item).toHaveAccessibleName("Remote view");
    expect(item).toHaveAttribute("aria-disabled", "true");
    expect(item).toHaveAccessibleDescription(MAM_REASON);
    expect(item).toHaveTextContent(MAM_REASON);
    await user.click(item);
    expect(screen.queryByTestId("mode-dialog")).not.toBeInTheDocument();
    await user.keyboard("{Enter}");
    expect(screen.queryByTestId("mode-dialog")).not.toBeInTheDocument();
  });

  test("menu button keyboard: ArrowDown opens, arrows move, Esc closes and returns focus", async () => {
    const { user } = await renderApp();
    const panel = await openDevice(user, "and-001", "Ana's Galaxy");
    const button = within(panel).getByTestId("actions-button");
    expect(button).toHaveAttribute("aria-haspopup", "menu");
    expect(button).toHaveAttribute("aria-expanded", "false");
    button.focus();
    await user.keyboard("{ArrowDown}");
    const menu = await screen.findByRole("menu");
    expect(button).toHaveAttribute("aria-expanded", "true");
    const items = within(menu).getAllByRole("menuitem");
    expect(items[0]).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(items[1]).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(items[0]).toHaveFocus(); // wraps
    await user.keyboard("{End}");
    expect(items[1]).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("menu")).not.toBeInTheDocument();
    expect(button).toHaveFocus();
    // Enter opens too, and Enter on the remote item opens the mode dialog.
    await user.keyboard("{Enter}");
    expect(within(await screen.findByRole("menu")).getAllByRole("menuitem")[0]).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("mode-dialog")).toBeInTheDocument();
  });
});
