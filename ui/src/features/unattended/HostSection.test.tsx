import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { ANDROID_DEVICE, makeHost, rowOf } from "../../test/fakeBackend";
import { openDevice, renderApp } from "../../test/render";

async function openHost(host = makeHost(), lang: "en" | "pt-BR" = "en") {
  const device = { ...ANDROID_DEVICE, host };
  const rendered = await renderApp({ details: [device], rows: [rowOf(device)], info: { lang } });
  const panel = await openDevice(rendered.user, device.id, device.name);
  const section = await within(panel).findByTestId("host-section");
  await waitFor(() => {
    expect(section).toHaveAttribute("aria-busy", "false");
  });
  return { ...rendered, section };
}

describe("the device's TeamViewer Host (unattended)", () => {
  test("matched by its alias: the TeamViewer ID, assigned, online", async () => {
    const { section, backend } = await openHost();
    expect(within(section).getByTestId("host-teamviewer-id")).toHaveTextContent("123456789");
    expect(within(section).getByTestId("host-matched-by")).toHaveTextContent("by the alias Help@Work wrote");
    expect(within(section).getByTestId("host-assigned")).toHaveTextContent("Yes");
    expect(within(section).getByTestId("host-state")).toHaveTextContent("Online");
    expect(within(section).getByTestId("host-last-seen")).toHaveTextContent("Now");
    expect(backend.callsOf("host_status")).toEqual([{ deviceId: "and-001" }]);
  });

  test("offline: the last-seen time", async () => {
    const { section } = await openHost(makeHost({ online_state: "offline", last_seen: "2026-11-20T09:30:00Z" }));
    expect(within(section).getByTestId("host-state")).toHaveTextContent("Offline");
    expect(within(section).getByTestId("host-last-seen").querySelector("time")).toHaveAttribute("dateTime", "2026-11-20T09:30:00Z");
  });

  test("not matched: the fix, and Confirm match on a candidate of the account", async () => {
    const unmatched = makeHost({
      matched: false,
      remotecontrol_id: null,
      teamviewer_id: null,
      alias: null,
      matched_by: null,
      assigned: false,
      online_state: null,
      candidates: [{ remotecontrol_id: "r987654321", alias: "Ana's Galaxy", online_state: "online" }],
    });
    const { section, user, backend } = await openHost(unmatched);
    const notice = within(section).getByTestId("host-not-matched");
    expect(notice).toHaveTextContent("Not matched");
    expect(notice).toHaveTextContent("Ana's Galaxy [hw:and-001]");
    expect(notice).toHaveTextContent("one-time activation");
    await user.click(within(section).getByTestId("host-confirm"));
    expect(await within(section).findByTestId("host-matched-by")).toHaveTextContent("confirmed by alex");
    expect(within(section).getByTestId("host-teamviewer-id")).toHaveTextContent("987654321");
    expect(backend.callsOf("confirm_host_match")).toEqual([{ deviceId: "and-001", remotecontrolId: "r987654321" }]);
  });

  test("pt-BR: TeamViewer Host (autônomo)", async () => {
    const { section } = await openHost(makeHost(), "pt-BR");
    expect(within(section).getByRole("heading", { level: 3 })).toHaveTextContent("TeamViewer Host (autônomo)");
    expect(within(section).getByTestId("host-assigned")).toHaveTextContent("Sim");
    expect(screen.getByTestId("host-matched-by")).toHaveTextContent("pelo alias");
  });
});
