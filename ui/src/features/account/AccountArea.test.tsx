import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { AuthStatus } from "../../bindings/AuthStatus";
import { apiError, NOT_CONFIGURED, SIGNED_IN, SIGNED_OUT } from "../../test/fakeBackend";
import { renderApp } from "../../test/render";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

async function accountArea() {
  const area = await screen.findByTestId("account-area");
  await waitFor(() => {
    expect(area).not.toBeEmptyDOMElement();
  });
  return area;
}

describe("account area (S3)", () => {
  test("signed out: Not signed in, and Sign in to TeamViewer", async () => {
    await renderApp({ auth: SIGNED_OUT });
    const area = await accountArea();
    expect(area).toHaveAccessibleName("TeamViewer account");
    expect(area).toHaveTextContent("Not signed in");
    const button = within(area).getByTestId("sign-in-button");
    expect(button).toHaveTextContent("Sign in to TeamViewer");
    expect(button).not.toHaveAttribute("aria-disabled");
    expect(within(area).queryByTestId("sign-out-button")).not.toBeInTheDocument();
  });

  test("signed in: the account name with the e-mail as its title, and Sign out", async () => {
    await renderApp({ auth: SIGNED_IN });
    const area = await accountArea();
    const name = within(area).getByTestId("account-name");
    expect(name).toHaveTextContent("Alex Agent");
    expect(name).toHaveAttribute("title", "alex@example.com");
    expect(within(area).getByTestId("sign-out-button")).toHaveTextContent("Sign out");
    expect(within(area).queryByTestId("sign-in-button")).not.toBeInTheDocument();
  });

  test("sign in: waits for the browser with the button disabled, then shows the account name", async () => {
    const browser = deferred<AuthStatus>();
    const { user, backend } = await renderApp({ auth: SIGNED_OUT, answers: { sign_in: () => browser.promise } });
    const area = await accountArea();
    const button = within(area).getByTestId("sign-in-button");
    await user.click(button);
    expect(await within(area).findByRole("status")).toHaveTextContent("Waiting for the browser…");
    expect(button).toHaveAttribute("aria-disabled", "true");
    await user.click(button);
    expect(backend.callsOf("sign_in")).toHaveLength(1);
    browser.resolve({ ...SIGNED_IN, account: { userid: "u-7", name: "Carla Dias", email: "carla@example.com" } });
    expect(await within(area).findByTestId("account-name")).toHaveTextContent("Carla Dias");
    expect(within(area).queryByText("Waiting for the browser…")).not.toBeInTheDocument();
  });

  test("sign out: back to Not signed in", async () => {
    const { user, backend } = await renderApp({ auth: SIGNED_IN });
    const area = await accountArea();
    await user.click(within(area).getByTestId("sign-out-button"));
    expect(await within(area).findByTestId("sign-in-button")).toBeInTheDocument();
    expect(area).toHaveTextContent("Not signed in");
    expect(backend.callsOf("sign_out")).toHaveLength(1);
  });

  test("a sign-out TeamViewer did not confirm is said, not only audited", async () => {
    const warning = "Signed out here, but TeamViewer did not confirm revoking the token (service_unavailable).";
    const { user } = await renderApp({ auth: SIGNED_IN, answers: { sign_out: () => ({ ...SIGNED_OUT, warnings: [warning] }) } });
    const area = await accountArea();
    await user.click(within(area).getByTestId("sign-out-button"));
    expect(await within(area).findByTestId("account-warnings")).toHaveTextContent(warning);
  });

  test("a failed sign-in shows the message and the fix; Dismiss hides it", async () => {
    const { user } = await renderApp({
      auth: SIGNED_OUT,
      answers: {
        sign_in: () => {
          throw apiError("service_failed", "The browser sign-in timed out.", "Sign in again within 5 minutes.");
        },
      },
    });
    const area = await accountArea();
    await user.click(within(area).getByTestId("sign-in-button"));
    const error = await within(area).findByTestId("account-error");
    expect(error).toHaveTextContent("The sign-in to TeamViewer did not finish");
    expect(error).toHaveTextContent("The browser sign-in timed out.");
    expect(error).toHaveTextContent("Sign in again within 5 minutes.");
    expect(within(area).getByTestId("sign-in-button")).not.toHaveAttribute("aria-disabled");
    await user.click(within(error).getByRole("button", { name: "Dismiss" }));
    expect(within(area).queryByTestId("account-error")).not.toBeInTheDocument();
  });

  test("not configured: the button is disabled and the hint points at the app credentials", async () => {
    const { user, backend } = await renderApp({ auth: NOT_CONFIGURED });
    const area = await accountArea();
    const button = within(area).getByTestId("sign-in-button");
    expect(button).toHaveAttribute("aria-disabled", "true");
    expect(button).toHaveAccessibleDescription("Set the TeamViewer app credentials (docs/teamviewer.md).");
    await user.click(button);
    expect(backend.callsOf("sign_in")).toHaveLength(0);
  });

  test("a script token shows as signed in, without an account name", async () => {
    await renderApp({
      auth: { configured: true, signed_in: true, method: "script_token", account: null, warnings: [] },
    });
    const area = await accountArea();
    const name = within(area).getByTestId("account-name");
    expect(name).toHaveTextContent("Signed in");
    expect(name).toHaveAttribute("title", "Signed in with a script token");
  });

  test("when auth_status fails, the error shows with Retry, which reads it again", async () => {
    let fail = true;
    const { user } = await renderApp({
      answers: {
        auth_status: () => {
          if (fail) throw apiError("internal", "The keyring is locked.", "Unlock the keyring.");
          return SIGNED_IN;
        },
      },
    });
    const area = await accountArea();
    const error = await within(area).findByTestId("account-error");
    expect(error).toHaveTextContent("The keyring is locked.");
    expect(error).toHaveTextContent("Unlock the keyring.");
    fail = false;
    await user.click(within(error).getByRole("button", { name: "Retry" }));
    expect(await within(area).findByTestId("account-name")).toHaveTextContent("Alex Agent");
    expect(within(area).queryByTestId("account-error")).not.toBeInTheDocument();
  });

  test("pt-BR: Não conectado, Entrar no TeamViewer, Sair", async () => {
    const { user } = await renderApp({ auth: SIGNED_OUT, info: { lang: "pt-BR" } });
    const area = await accountArea();
    expect(area).toHaveTextContent("Não conectado");
    expect(within(area).getByTestId("sign-in-button")).toHaveTextContent("Entrar no TeamViewer");
    await user.click(within(area).getByTestId("sign-in-button"));
    expect(await within(area).findByTestId("sign-out-button")).toHaveTextContent("Sair");
  });
});
