import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { AuthStatus } from "../../bindings/AuthStatus";
import {
  ADMIN_ACTOR,
  ANDROID_DEVICE,
  EULA,
  IOS_DEVICE,
  makeActivation,
  makeSession,
  SIGNED_IN,
  SIGNED_OUT,
  type FakeOptions,
} from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

/** Opens Admin → Infrastructure → Help@Work and waits for the status. */
async function openAdmin(options: FakeOptions = {}) {
  const rendered = await renderApp(options);
  await rendered.user.click(screen.getByTestId("nav-admin"));
  const page = await screen.findByTestId("admin-view");
  await within(page).findByTestId("activation-section");
  return { ...rendered, page };
}

const NOT_ACTIVATED = { activations: [] };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

/** jsdom lays nothing out: give the EULA text a viewport and a longer content, scrollable. */
function withTallEulaText(run: () => Promise<void>): Promise<void> {
  const proto = HTMLElement.prototype;
  const height = Object.getOwnPropertyDescriptor(proto, "scrollHeight");
  const client = Object.getOwnPropertyDescriptor(proto, "clientHeight");
  const isText = (el: HTMLElement) => el.dataset.testid === "eula-text";
  Object.defineProperty(proto, "scrollHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return isText(this) ? 1000 : ((height?.get?.call(this) as number | undefined) ?? 0);
    },
  });
  Object.defineProperty(proto, "clientHeight", {
    configurable: true,
    get(this: HTMLElement) {
      return isText(this) ? 200 : ((client?.get?.call(this) as number | undefined) ?? 0);
    },
  });
  return run().finally(() => {
    if (height) Object.defineProperty(proto, "scrollHeight", height);
    if (client) Object.defineProperty(proto, "clientHeight", client);
  });
}

describe("Admin → Infrastructure → Help@Work", () => {
  test("the breadcrumb and the sections; A1: Activate TeamViewer with its two options", async () => {
    const { page } = await openAdmin({ admin: NOT_ACTIVATED });
    expect(within(page).getByTestId("admin-breadcrumb")).toHaveTextContent("Admin → Infrastructure → Help@Work");
    expect(within(page).getByRole("heading", { level: 1 })).toHaveTextContent("Help@Work");
    const section = within(page).getByRole("region", { name: "Activate TeamViewer" });
    const attended = within(section).getByTestId("activation-attended");
    const unattended = within(section).getByTestId("activation-unattended");
    expect(within(attended).getByRole("heading")).toHaveTextContent("Attended TeamViewer");
    expect(within(unattended).getByRole("heading")).toHaveTextContent("Unattended TeamViewer (Android only)");
    expect(attended).toHaveTextContent("Not activated");
    expect(within(attended).getByTestId("activate-attended")).toHaveTextContent("Activate now");
    expect(within(unattended).getByTestId("activate-unattended")).toHaveTextContent("Activate now");
    expect(within(page).queryByTestId("remove-activation")).not.toBeInTheDocument();
    expect(within(page).queryByTestId("locked-banner")).not.toBeInTheDocument();
  });

  test("an activated mode shows the account, who agreed, when, and the EULA version (A2)", async () => {
    const { page } = await openAdmin();
    const card = within(page).getByTestId("activation-unattended");
    expect(card).toHaveAttribute("data-active", "true");
    expect(within(card).getByTestId("activation-state")).toHaveTextContent("Activated");
    expect(within(card).getByTestId("activation-account")).toHaveTextContent("Contoso Helpdesk");
    expect(within(card).getByTestId("activation-agreed-by")).toHaveTextContent(ADMIN_ACTOR);
    expect(within(card).getByTestId("activation-agreed-at")).toHaveTextContent("2026");
    expect(within(card).getByTestId("activation-eula-version")).toHaveTextContent(EULA.version);
    expect(within(card).queryByTestId("activate-unattended")).not.toBeInTheDocument();
  });

  test("A2: I agree is enabled once the EULA was shown and activates", async () => {
    const { user, page, backend } = await openAdmin({ admin: NOT_ACTIVATED });
    await user.click(within(page).getByTestId("activate-attended"));
    const dialog = await screen.findByTestId("eula-dialog");
    expect(dialog).toHaveAttribute("role", "dialog");
    expect(dialog).toHaveAccessibleName("TeamViewer EULA");
    const text = await within(dialog).findByTestId("eula-text");
    expect(text).toHaveTextContent("TeamViewer End User License Agreement (EULA)");
    // White space is kept (pre-wrap in .eula__text): the text is shown exactly as sent.
    expect(text).toHaveClass("eula__text");
    expect(text.textContent).toBe(EULA.text);
    expect(within(dialog).getByTestId("eula-version")).toHaveTextContent(`Version ${EULA.version}`);
    // The whole text fits (jsdom lays out nothing): it counts as shown to the end.
    const agree = within(dialog).getByTestId("eula-agree");
    expect(agree).toHaveTextContent("I agree");
    expect(agree).not.toHaveAttribute("aria-disabled");

    await user.click(agree);
    await waitFor(() => {
      expect(screen.queryByTestId("eula-dialog")).not.toBeInTheDocument();
    });
    expect(backend.callsOf("activate")).toEqual([{ mode: "attended", eulaSha256: EULA.sha256 }]);
    const card = within(page).getByTestId("activation-attended");
    expect(within(card).getByTestId("activation-state")).toHaveTextContent("Activated");
    expect(within(card).getByTestId("activation-account")).toHaveTextContent("Alex Agent");
    expect(within(card).getByTestId("activation-agreed-by")).toHaveTextContent(ADMIN_ACTOR);
    expect(within(card).getByTestId("activation-eula-version")).toHaveTextContent(EULA.version);
    expect(within(page).getByTestId("activation-done")).toHaveTextContent("Attended TeamViewer is activated.");
    // The other mode is untouched; Remove activation is offered now (A3).
    expect(within(page).getByTestId("activation-unattended")).toHaveAttribute("data-active", "false");
    expect(within(page).getByTestId("remove-activation")).toHaveTextContent("Remove activation");
  });

  test("A2: I agree waits until the text was scrolled to the end", () =>
    withTallEulaText(async () => {
      const { user, page, backend } = await openAdmin({ admin: NOT_ACTIVATED });
      await user.click(within(page).getByTestId("activate-unattended"));
      const dialog = await screen.findByTestId("eula-dialog");
      const text = await within(dialog).findByTestId("eula-text");
      const agree = within(dialog).getByTestId("eula-agree");
      expect(agree).toHaveAttribute("aria-disabled", "true");
      expect(agree).toHaveAccessibleDescription("Scroll to the end of the text to agree.");
      await user.click(agree);
      expect(backend.callsOf("activate")).toHaveLength(0);

      text.scrollTop = 400;
      fireEvent.scroll(text);
      expect(agree).toHaveAttribute("aria-disabled", "true");
      text.scrollTop = 800;
      fireEvent.scroll(text);
      expect(agree).not.toHaveAttribute("aria-disabled");
      await user.click(agree);
      await waitFor(() => {
        expect(backend.callsOf("activate")).toEqual([{ mode: "unattended", eulaSha256: EULA.sha256 }]);
      });
    }));

  test("A2: Cancel changes nothing", async () => {
    const { user, page, backend } = await openAdmin({ admin: NOT_ACTIVATED });
    const activate = within(page).getByTestId("activate-attended");
    await user.click(activate);
    const dialog = await screen.findByTestId("eula-dialog");
    await within(dialog).findByTestId("eula-text");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("eula-dialog")).not.toBeInTheDocument();
    expect(activate).toHaveFocus();
    // Esc declines too.
    await user.click(activate);
    await screen.findByTestId("eula-dialog");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("eula-dialog")).not.toBeInTheDocument();

    expect(backend.callsOf("activate")).toHaveLength(0);
    expect(backend.admin().activations).toEqual([]);
    expect(within(page).getByTestId("activation-attended")).toHaveTextContent("Not activated");
    expect(within(page).queryByTestId("activation-done")).not.toBeInTheDocument();
  });

  test("A2, S3: not signed in: Sign in to TeamViewer and continue signs in, then activates by itself", async () => {
    const browser = deferred<AuthStatus>();
    const { user, page, backend } = await openAdmin({
      admin: NOT_ACTIVATED,
      auth: SIGNED_OUT,
      answers: { sign_in: () => browser.promise },
    });
    await user.click(within(page).getByTestId("activate-attended"));
    const dialog = await screen.findByTestId("eula-dialog");
    await within(dialog).findByTestId("eula-text");
    await user.click(within(dialog).getByTestId("eula-agree"));
    const error = await within(dialog).findByTestId("activate-error");
    expect(error).toHaveAttribute("data-error-code", "sign_in_needed");
    expect(error).toHaveTextContent("Sign in to TeamViewer to activate");
    const continueButton = within(error).getByTestId("sign-in-continue");
    expect(continueButton).toHaveTextContent("Sign in to TeamViewer and continue");
    await user.click(continueButton);
    expect(await within(dialog).findByText("Waiting for the browser…")).toBeInTheDocument();
    browser.resolve(SIGNED_IN);
    await waitFor(() => {
      expect(screen.queryByTestId("eula-dialog")).not.toBeInTheDocument();
    });
    const calls = backend.callsOf("activate");
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ mode: "attended", eulaSha256: EULA.sha256 });
    expect(within(page).getByTestId("activation-attended")).toHaveAttribute("data-active", "true");
  });

  test("A2: when the EULA changed after it was shown, the new text is shown and agreed to", async () => {
    const { user, page, backend } = await openAdmin({ admin: NOT_ACTIVATED });
    await user.click(within(page).getByTestId("activate-attended"));
    const dialog = await screen.findByTestId("eula-dialog");
    await within(dialog).findByTestId("eula-text");
    const changed = { ...EULA, text: "TeamViewer EULA, 2027 edition.", sha256: "ff".repeat(32), version: "ffffffffffffffff" };
    backend.setEula(changed);
    await user.click(within(dialog).getByTestId("eula-agree"));
    expect(await within(dialog).findByTestId("activate-error")).toHaveTextContent(
      "The EULA changed since it was shown: read the new text",
    );
    await waitFor(() => {
      expect(within(dialog).getByTestId("eula-text")).toHaveTextContent("TeamViewer EULA, 2027 edition.");
    });
    await user.click(within(dialog).getByTestId("eula-agree"));
    await waitFor(() => {
      expect(screen.queryByTestId("eula-dialog")).not.toBeInTheDocument();
    });
    expect(backend.callsOf("activate")).toEqual([
      { mode: "attended", eulaSha256: EULA.sha256 },
      { mode: "attended", eulaSha256: changed.sha256 },
    ]);
    expect(within(page).getByTestId("activation-eula-version")).toHaveTextContent("ffffffffffffffff");
  });

  test("A3: Remove activation asks Confirm removal of activation", async () => {
    const open = makeSession({ id: "sess-5", state: "active" });
    const { user, page, backend } = await openAdmin({ sessions: [open] });
    const remove = within(page).getByTestId("remove-activation");
    await user.click(remove);
    let dialog = await screen.findByTestId("confirm-removal");
    expect(dialog).toHaveAccessibleName("Confirm removal of activation");
    expect(dialog).toHaveAccessibleDescription(/removes Help@Work from all supported devices/);
    expect(dialog).toHaveTextContent("Sessions that are open now are ended.");
    // Cancel is the safe default and changes nothing.
    const cancel = within(dialog).getByRole("button", { name: "Cancel" });
    expect(cancel).toHaveFocus();
    await user.click(cancel);
    expect(screen.queryByTestId("confirm-removal")).not.toBeInTheDocument();
    expect(backend.callsOf("remove_activation")).toHaveLength(0);

    await user.click(remove);
    dialog = await screen.findByTestId("confirm-removal");
    await user.click(within(dialog).getByTestId("confirm-removal-yes"));
    await waitFor(() => {
      expect(screen.queryByTestId("confirm-removal")).not.toBeInTheDocument();
    });
    expect(backend.callsOf("remove_activation")).toHaveLength(1);
    expect(backend.session("sess-5")?.state).toBe("closed");
    expect(within(page).getByTestId("activation-done")).toHaveTextContent("The activation was removed.");
    // A4: both modes can be activated again.
    expect(within(page).getByTestId("activate-attended")).toBeInTheDocument();
    expect(within(page).getByTestId("activate-unattended")).toBeInTheDocument();
    expect(within(page).queryByTestId("remove-activation")).not.toBeInTheDocument();
  });

  test("L1: below Platinum shows the locked banner", async () => {
    const { user, page, backend } = await openAdmin({ admin: { ...NOT_ACTIVATED, tier: "gold" } });
    const banner = within(page).getByTestId("locked-banner");
    expect(banner).toHaveTextContent("Help@Work is locked");
    expect(banner).toHaveTextContent("The tenant has the Gold tier.");
    expect(banner).toHaveTextContent("Help@Work needs the Platinum licence tier");
    const activate = within(page).getByTestId("activate-attended");
    expect(activate).toHaveAttribute("aria-disabled", "true");
    expect(activate).toHaveAccessibleDescription("Available with the Platinum licence tier.");
    await user.click(activate);
    expect(screen.queryByTestId("eula-dialog")).not.toBeInTheDocument();

    const select = within(page).getByRole("combobox", { name: "Tenant licence tier" });
    expect(select).toHaveValue("gold");
    await user.selectOptions(select, "platinum");
    await waitFor(() => {
      expect(within(page).queryByTestId("locked-banner")).not.toBeInTheDocument();
    });
    expect(backend.callsOf("set_tier")).toEqual([{ tier: "platinum" }]);
    expect(within(page).getByTestId("activate-attended")).not.toHaveAttribute("aria-disabled");
  });

  test("L1: without a tier the banner says it is not set", async () => {
    const { page } = await openAdmin({ admin: { tier: null } });
    expect(within(page).getByTestId("locked-banner")).toHaveTextContent("The tenant's licence tier is not set.");
    expect(within(page).getByTestId("tier-select")).toHaveValue("");
  });

  test("U3: the licence gauge shows consumed of purchased; the purchased count is validated and saved", async () => {
    const { user, page, backend } = await openAdmin();
    const section = within(page).getByTestId("licences-section");
    expect(within(section).getByTestId("licences-usage")).toHaveTextContent("1 of 2 in use");
    const meter = within(section).getByRole("meter", { name: "Unattended licences in use" });
    expect(meter).toHaveAttribute("aria-valuetext", "1 of 2 in use");

    const input = within(section).getByRole("spinbutton", { name: "Purchased licences" });
    await user.clear(input);
    await user.type(input, "2.5");
    await user.click(within(section).getByTestId("licences-save"));
    expect(within(section).getByTestId("licences-invalid")).toHaveTextContent("Enter a whole number, 0 or more.");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(backend.callsOf("set_licences")).toHaveLength(0);

    await user.clear(input);
    await user.type(input, "0");
    await user.click(within(section).getByTestId("licences-save"));
    // Fewer than Host already uses: the back end refuses, with the fix.
    const error = await within(section).findByTestId("licences-error");
    expect(error).toHaveTextContent("Undistribute Host from some devices first.");

    await user.clear(input);
    await user.type(input, "25");
    await user.keyboard("{Enter}");
    await waitFor(() => {
      expect(within(section).getByTestId("licences-usage")).toHaveTextContent("1 of 25 in use");
    });
    expect(backend.callsOf("set_licences")).toEqual([{ unattended: 0 }, { unattended: 25 }]);
    expect(within(section).queryByTestId("licences-error")).not.toBeInTheDocument();
  });

  test("U3: over-licence distribution shows the numbers", async () => {
    const second = { ...ANDROID_DEVICE, id: "and-002", name: "Kiosk 2", kiosk: true };
    const { user, page, backend } = await openAdmin({
      details: [ANDROID_DEVICE, second, IOS_DEVICE],
      admin: { purchased: 1 },
    });
    const section = within(page).getByTestId("distribution-section");
    await user.selectOptions(within(section).getByRole("combobox", { name: "App" }), "host");
    await user.type(within(section).getByRole("textbox", { name: "Device IDs" }), "and-001, and-002");
    await user.click(within(section).getByTestId("distribute"));
    const error = await within(section).findByTestId("distribution-error");
    expect(error).toHaveAttribute("data-error-code", "conflict");
    expect(error).toHaveTextContent("Not enough unattended licences");
    expect(within(error).getByTestId("licences-needed")).toHaveTextContent("2");
    expect(within(error).getByTestId("licences-purchased")).toHaveTextContent("1");
    expect(within(error).getByTestId("licences-consumed")).toHaveTextContent("1");
    expect(backend.callsOf("distribute_app")).toEqual([
      { app: "host", devices: ["and-001", "and-002"], all: false, distribute: true },
    ]);
    // Nothing changed.
    expect(backend.admin().distributions.host).toEqual(["and-001"]);
  });

  test("A6: distribute to all eligible devices, undistribute from some; the result is shown", async () => {
    const { user, page, backend } = await openAdmin();
    const section = within(page).getByTestId("distribution-section");
    const options = within(within(section).getByRole("combobox", { name: "App" })).getAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual([
      "TeamViewer QuickSupport",
      "TeamViewer Host",
      "Universal add-on",
      "Model/OEM add-on",
    ]);
    // Neither devices nor All: say what is missing.
    await user.click(within(section).getByTestId("distribute"));
    expect(within(section).getByTestId("distribution-missing")).toHaveTextContent(
      "Enter device IDs or choose All eligible devices.",
    );
    expect(backend.callsOf("distribute_app")).toHaveLength(0);

    await user.selectOptions(within(section).getByRole("combobox", { name: "App" }), "addon-universal");
    await user.click(within(section).getByRole("checkbox", { name: "All eligible devices" }));
    expect(within(section).getByRole("textbox", { name: "Device IDs" })).toBeDisabled();
    await user.click(within(section).getByTestId("distribute"));
    expect(await within(section).findByTestId("distribution-result")).toHaveTextContent(
      "Universal add-on is now distributed to 1 devices (1 in this change).",
    );

    await user.selectOptions(within(section).getByRole("combobox", { name: "App" }), "quicksupport");
    await user.click(within(section).getByRole("checkbox", { name: "All eligible devices" }));
    await user.type(within(section).getByRole("textbox", { name: "Device IDs" }), "ios-001");
    await user.click(within(section).getByTestId("undistribute"));
    await waitFor(() => {
      expect(within(section).getByTestId("distribution-result")).toHaveTextContent(
        "TeamViewer QuickSupport is now distributed to 1 devices (1 in this change).",
      );
    });
    expect(backend.callsOf("distribute_app")).toEqual([
      { app: "addon-universal", devices: [], all: true, distribute: true },
      { app: "quicksupport", devices: ["ios-001"], all: false, distribute: false },
    ]);
  });

  test("A6: devices the MDM refuses are listed with its reason and not recorded", async () => {
    const second = { ...ANDROID_DEVICE, id: "and-002", name: "Kiosk 2" };
    const { user, page, backend } = await openAdmin({
      details: [ANDROID_DEVICE, second, IOS_DEVICE],
      admin: {
        distributions: {},
        mdmRefuses: { "and-002": "Microsoft Intune: the device's Entra ID device object was not found." },
      },
    });
    const section = within(page).getByTestId("distribution-section");
    await user.type(within(section).getByRole("textbox", { name: "Device IDs" }), "and-001, and-002");
    await user.click(within(section).getByTestId("distribute"));
    expect(await within(section).findByTestId("distribution-result")).toHaveTextContent(
      "TeamViewer QuickSupport is now distributed to 1 devices (1 in this change).",
    );
    const refused = within(section).getByTestId("distribution-refused");
    expect(refused).toHaveTextContent("The MDM refused 1 device(s); nothing changed for them:");
    expect(within(refused).getAllByTestId("distribution-refused-device").map((li) => li.textContent)).toEqual([
      "and-002: Microsoft Intune: the device's Entra ID device object was not found.",
    ]);
    expect(backend.admin().distributions.quicksupport).toEqual(["and-001"]);
  });

  test("A5: delete refused lists devices; deprovisioning tracks each device until Host is gone", async () => {
    const { user, page, backend } = await openAdmin({ admin: { devicesWithHost: ["and-001", "and-007"] } });
    const section = within(page).getByTestId("deprovision-section");
    expect(within(section).getByRole("list", { name: "Steps" })).toHaveTextContent("Deprovision");
    expect(within(section).getByTestId("deprovision-hosts")).toHaveTextContent(
      "TeamViewer Host is installed on 2 devices.",
    );

    await user.click(within(section).getByTestId("delete-account"));
    const error = await within(section).findByTestId("delete-account-error");
    expect(error).toHaveTextContent("The account binding was not deleted");
    expect(error).toHaveTextContent("2 devices still have TeamViewer Host:");
    const devices = within(error).getByTestId("delete-refused-devices");
    expect(within(devices).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["and-001", "and-007"]);
    expect(backend.admin().activations.some((a) => a.active)).toBe(true);

    // The steps: deprovision, the devices check in, then the deletion goes through.
    await user.click(within(section).getByTestId("deprovision"));
    expect(await within(section).findByTestId("deprovision-done")).toHaveTextContent("Host was undistributed");
    expect(within(section).queryByTestId("delete-account-error")).not.toBeInTheDocument();
    expect(backend.admin().distributions.host).toEqual([]);
    // A5: each device is tracked until it reports Host gone.
    const progress = within(section).getByTestId("deprovision-progress");
    expect(progress).toHaveTextContent("Host removed from 0 of 2 devices.");
    expect(within(within(progress).getByTestId("deprovision-waiting")).getAllByRole("listitem")).toHaveLength(2);
    backend.checkIn();
    await user.click(within(section).getByTestId("deprovision-refresh"));
    expect(await within(section).findByText("Host removed from 2 of 2 devices.")).toBeInTheDocument();
    expect(within(section).queryByTestId("deprovision-waiting")).not.toBeInTheDocument();
    await user.click(within(section).getByTestId("delete-account"));
    expect(await within(section).findByTestId("delete-account-done")).toHaveTextContent(
      "The TeamViewer account binding was deleted.",
    );
    expect(within(page).getByTestId("activate-attended")).toBeInTheDocument();
  });

  test("U4: kiosk devices missing the allowlist are listed, with the Host count", async () => {
    const { page } = await openAdmin({ admin: { kioskMissing: ["and-k01", "and-k02"] } });
    const section = within(page).getByTestId("kiosk-section");
    expect(section).toHaveTextContent("2 kiosk devices do not allow Host or an add-on:");
    expect(within(within(section).getByTestId("kiosk-missing")).getAllByRole("listitem")).toHaveLength(2);
    expect(within(section).getByTestId("host-count")).toHaveTextContent("TeamViewer Host is installed on 1 device.");
  });

  test("when admin_status fails, the error shows with Retry", async () => {
    let fail = true;
    const { user } = await renderApp({
      answers: {
        admin_status: () => {
          if (fail) throw { code: "internal", message: "The store is locked.", fix: "Close the other window.", details: null };
          return {
            tier: "platinum",
            locked: false,
            activations: [],
            unattended_licences: { purchased: 0, consumed: 0 },
            kiosk_devices_missing_allowlist: [],
            devices_with_host: [],
          };
        },
      },
    });
    await user.click(screen.getByTestId("nav-admin"));
    const error = await screen.findByTestId("admin-error");
    expect(error).toHaveTextContent("The store is locked.");
    expect(error).toHaveTextContent("Close the other window.");
    fail = false;
    await user.click(within(error).getByRole("button", { name: "Retry" }));
    expect(await screen.findByTestId("activate-attended")).toBeInTheDocument();
    expect(screen.queryByTestId("admin-error")).not.toBeInTheDocument();
  });

  test("pt-BR: the spec's words", async () => {
    const { user, page } = await openAdmin({ admin: { activations: [makeActivation("unattended", true)] }, info: { lang: "pt-BR" } });
    expect(within(page).getByTestId("admin-breadcrumb")).toHaveTextContent("Administrador → Infraestrutura → Help@Work");
    expect(within(page).getByRole("region", { name: "Ativar TeamViewer" })).toBeInTheDocument();
    expect(within(page).getByTestId("activation-attended")).toHaveTextContent("TeamViewer assistido");
    expect(within(page).getByTestId("activation-unattended")).toHaveTextContent("TeamViewer autônomo (somente Android)");
    expect(within(page).getByTestId("activate-attended")).toHaveTextContent("Ativar agora");
    expect(within(page).getByTestId("remove-activation")).toHaveTextContent("Remover ativação");

    await user.click(within(page).getByTestId("activate-attended"));
    const eula = await screen.findByTestId("eula-dialog");
    expect(eula).toHaveAccessibleName("EULA do TeamViewer");
    expect(await within(eula).findByTestId("eula-agree")).toHaveTextContent("Concordo");
    await user.click(within(eula).getByRole("button", { name: "Cancelar" }));

    await user.click(within(page).getByTestId("remove-activation"));
    expect(await screen.findByTestId("confirm-removal")).toHaveAccessibleName("Confirmar remoção de ativação");
  });
});
