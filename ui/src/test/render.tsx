import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { App } from "../App";
import { installFakeBackend, type FakeOptions } from "./fakeBackend";
import { VIEWPORT } from "./layout";

/** Renders the whole window over a fake back end and waits for the first rows. */
export async function renderApp(options: FakeOptions = {}, { waitForRows = true } = {}) {
  const backend = installFakeBackend(options);
  const user = userEvent.setup();
  const view = render(<App tableInitialRect={VIEWPORT} />);
  if (waitForRows) await screen.findAllByTestId("device-row");
  return { backend, user, view };
}

export async function findRow(id: string): Promise<HTMLElement> {
  return waitFor(() => {
    const row = document.querySelector<HTMLElement>(`[data-testid="device-row"][data-device-id="${id}"]`);
    if (!row) throw new Error(`row ${id} is not rendered`);
    return row;
  });
}

export function grid(): HTMLElement {
  return screen.getByRole("grid");
}

/** Clicks a device row and waits for its details to load. */
export async function openDevice(user: ReturnType<typeof userEvent.setup>, id: string, name: string) {
  await user.click(await findRow(id));
  const panel = await screen.findByTestId("device-detail");
  await within(panel).findByRole("heading", { level: 2, name });
  return panel;
}

export async function openActions(user: ReturnType<typeof userEvent.setup>, panel: HTMLElement) {
  await user.click(within(panel).getByTestId("actions-button"));
  return screen.findByRole("menu");
}
