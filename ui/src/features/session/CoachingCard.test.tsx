import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, test } from "vitest";
import type { Lang } from "../../bindings/Lang";
import type { Session } from "../../bindings/Session";
import { I18nProvider } from "../../i18n/I18nProvider";
import { ANDROID_DEVICE, apiError, IOS_DEVICE, installFakeBackend, makeSession, type FakeOptions } from "../../test/fakeBackend";
import { codeGroups } from "./codeGroups";
import { SessionPanel } from "./SessionPanel";

const PIXEL = { ...ANDROID_DEVICE, id: "pix-001", name: "Caio's Pixel", manufacturer: "Google", model: "Pixel 8" };

function renderPanel(session: Session, lang: Lang = "en", options: FakeOptions = {}) {
  const backend = installFakeBackend({ sessions: [session], details: [ANDROID_DEVICE, PIXEL, IOS_DEVICE], lang, ...options });
  const user = userEvent.setup();
  render(
    <I18nProvider lang={lang}>
      <SessionPanel session={session} onChange={() => undefined} onStartAgain={() => undefined} starting={false} />
    </I18nProvider>,
  );
  return { backend, user };
}

describe("the coaching card in the session panel", () => {
  test("en: what the user will do, numbered, each step with its rule; the code grouped as it is read", async () => {
    const { backend } = renderPanel(makeSession({ state: "delivered", code: "s123-456-789" }));
    const card = await screen.findByTestId("coaching-card");
    expect(within(card).getByRole("heading", { name: "What the user will do" })).toBeInTheDocument();
    const steps = await within(card).findAllByTestId("coaching-step");
    expect(steps.map((s) => s.getAttribute("data-rule"))).toEqual(["S6", "S7", "S8", "S4"]);
    expect(within(card).getByTestId("coaching-steps").tagName).toBe("OL");
    expect(steps[0]).toHaveTextContent("licence agreement (EULA)");
    expect(steps[1]).toHaveTextContent("tap Start now.");
    expect(steps[1]).not.toHaveTextContent("every session");
    expect(steps[2]).toHaveTextContent("in the background");
    expect(steps[3]).toHaveTextContent("it must be s123-456-789");
    // The rule is a small tag, read as "Rule S6".
    const rule = within(card).getByText("Rule S6");
    expect(rule).toHaveClass("sr-only");
    expect(steps[0]).toContainElement(rule);
    expect(within(card).getByTestId("coaching-lang")).toHaveTextContent("(in English)");
    const code = within(card).getByTestId("coaching-code");
    expect(code).toHaveTextContent("s123 456 789");
    expect(code.querySelectorAll(".coaching__group")).toHaveLength(3);
    expect(backend.callsOf("coaching_card")).toEqual([{ id: "sess-1" }]);
  });

  test("pt-BR: the card in Portuguese, the panel's words too", async () => {
    renderPanel(makeSession({ state: "waiting", code: "s123-456-789" }), "pt-BR");
    const card = await screen.findByTestId("coaching-card");
    expect(within(card).getByRole("heading", { name: "O que o usuário vai fazer" })).toBeInTheDocument();
    const steps = await within(card).findAllByTestId("coaching-step");
    expect(steps[0]).toHaveTextContent("contrato de licença (EULA)");
    expect(steps[2]).toHaveTextContent("em segundo plano");
    expect(steps[0]).toContainElement(within(card).getByText("Regra S6"));
    expect(within(card).getByTestId("coaching-lang")).toHaveTextContent("(em português do Brasil)");
    expect(within(card).getByText("Código a confirmar")).toBeInTheDocument();
    expect(within(card).getByTestId("coaching-confirm-button")).toHaveTextContent("Código confirmado");
  });

  test("S7: a Google Pixel's user is told it asks every session", async () => {
    renderPanel(makeSession({ device_id: PIXEL.id }));
    const pixel = await screen.findAllByTestId("coaching-step");
    expect(pixel[1]).toHaveTextContent("This Google Pixel asks every session");
  });

  test("S7: the iOS user taps Start Broadcast", async () => {
    renderPanel(makeSession({ device_id: IOS_DEVICE.id }));
    const ios = await screen.findAllByTestId("coaching-step");
    expect(ios[1]).toHaveTextContent("tap Start Broadcast.");
  });

  test("Code confirmed by keyboard: a toggle kept for the session's code", async () => {
    const { user } = renderPanel(makeSession({ state: "waiting" }));
    const button = await screen.findByTestId("coaching-confirm-button");
    expect(button).toHaveAttribute("aria-pressed", "false");
    expect(button).toHaveAccessibleDescription("Press it when the user read back the same code; press it again to undo.");
    button.focus();
    await user.keyboard("{Enter}");
    expect(button).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("coaching-confirmed")).toHaveTextContent("Code confirmed: the user reads the same code.");
    expect(screen.getByTestId("coaching-confirmed")).toHaveAttribute("role", "status");
    await user.keyboard(" ");
    expect(button).toHaveAttribute("aria-pressed", "false");
    expect(screen.queryByTestId("coaching-confirmed")).not.toBeInTheDocument();
  });

  test("an unattended session has no card (no one on the device)", () => {
    const { backend } = renderPanel(makeSession({ mode: "unattended", code: null, state: "active" }));
    expect(screen.queryByTestId("coaching-card")).not.toBeInTheDocument();
    expect(backend.callsOf("coaching_card")).toEqual([]);
  });

  test("an ended session has no card", () => {
    renderPanel(makeSession({ state: "closed" }));
    expect(screen.queryByTestId("coaching-card")).not.toBeInTheDocument();
  });

  test("a card the back end cannot give shows its error and fix", async () => {
    renderPanel(makeSession(), "en", {
      errors: { coaching_card: apiError("not_found", "The device and-001 is no longer in the fleet.", "Sync the devices.") },
    });
    const error = await screen.findByTestId("coaching-error");
    expect(error).toHaveTextContent("The coaching card could not be read");
    expect(error).toHaveTextContent("Sync the devices.");
  });
});

describe("Arm again from an ended session", () => {
  test("a lost session is armed again: rearm_session, then until when it waits", async () => {
    const { user, backend } = renderPanel(makeSession({ state: "lost" }));
    await user.click(screen.getByTestId("session-arm-again"));
    expect(backend.callsOf("rearm_session")).toEqual([{ id: "sess-1", withinMinutes: null }]);
    expect(await screen.findByTestId("session-rearmed")).toHaveTextContent("Armed again until");
    expect(screen.queryByTestId("session-arm-again")).not.toBeInTheDocument();
  });

  test("a refusal shows its fix", async () => {
    const { user } = renderPanel(makeSession({ state: "expired" }), "en", {
      errors: { rearm_session: apiError("conflict", "The device already has an open session: s9.", "Close it first.") },
    });
    await user.click(screen.getByTestId("session-arm-again"));
    const error = await screen.findByTestId("session-error");
    expect(error).toHaveTextContent("The session was not armed again");
    expect(error).toHaveTextContent("Close it first.");
  });

  test("an unattended session is not armed", () => {
    renderPanel(makeSession({ state: "lost", mode: "unattended" }));
    expect(screen.queryByTestId("session-arm-again")).not.toBeInTheDocument();
  });
});

test("codeGroups: TeamViewer's groups, else threes", () => {
  expect(codeGroups("s123-456-789")).toEqual(["s123", "456", "789"]);
  expect(codeGroups("s12-345-678")).toEqual(["s12", "345", "678"]);
  expect(codeGroups("123456789")).toEqual(["123", "456", "789"]);
  expect(codeGroups("1234567")).toEqual(["123", "456", "7"]);
});
