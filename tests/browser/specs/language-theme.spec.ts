/** Language switch (en / pt-BR, kept by the back end across restarts) and the dark theme. */
import { expect, test } from "@playwright/test";
import { activation, ANDROID, IOS, platinumAdmin } from "../mock/fixtures";
import { backend, openApp, openDevices, openModeDialog, shot } from "../support";

test("switching to pt-BR changes the strings and is kept across a reload", async ({ page }) => {
  await openDevices(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Devices");
  await page.getByTestId("lang-switch").selectOption("pt-BR");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dispositivos");
  await expect(page.getByTestId("nav-sessions")).toHaveText("Sessões");
  await expect(page.getByTestId("device-count")).toHaveText("4 dispositivos");
  expect(await backend(page).callsOf("set_language")).toEqual([{ lang: "pt-BR" }]);
  // The device list is read again (the back end's texts are localized).
  await expect(page.getByTestId("device-row")).toHaveCount(4);

  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dispositivos");
  await expect(page.getByTestId("lang-switch")).toHaveValue("pt-BR");
  expect(await backend(page).lang()).toBe("pt-BR");

  await page.getByTestId("lang-switch").selectOption("en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Devices");
});

test("a language that cannot be saved says so", async ({ page }) => {
  await openDevices(page, {
    errors: { set_language: { code: "internal", message: "The settings file is read-only.", fix: null, details: null } },
  });
  await page.getByTestId("lang-switch").selectOption("pt-BR");
  await expect(page.getByRole("alert").filter({ hasText: "The settings file is read-only." })).toBeVisible();
});

test("pt-BR: the main states, with screenshots", async ({ page }) => {
  await openDevices(page, {
    lang: "pt-BR",
    startOverrides: { delivery: "end_customer_link" },
    admin: { ...platinumAdmin(), activations: [activation("attended", true), activation("unattended", false)] },
  });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dispositivos");
  await shot(page, "pt-BR-devices");

  await openModeDialog(page, ANDROID.id);
  await page.keyboard.press("Escape");
  await page.getByTestId("actions-button").click();
  await expect(page.getByRole("menu")).toBeVisible();
  await shot(page, "pt-BR-actions-menu");
  await page.keyboard.press("Escape");

  await page.locator(`[data-testid="device-row"][data-device-id="${IOS.id}"]`).click();
  await page.getByTestId("actions-button").click();
  await page.getByTestId("remote-action").click();
  await expect(page.getByTestId("unattended-reason")).toHaveText("O modo autônomo está disponível apenas em dispositivos Android.");
  await expect(page.getByTestId("preflight-checklist")).toBeVisible();
  await shot(page, "pt-BR-start-dialog");

  await page.getByTestId("start-button").click();
  await expect(page.getByTestId("session-copy-link")).toHaveText("Copiar link");
  await shot(page, "pt-BR-session-panel");
  await page.keyboard.press("Escape");

  await page.getByTestId("nav-admin").click();
  await page.getByTestId("activate-unattended").click();
  await expect(page.getByTestId("eula-text")).toBeVisible();
  await shot(page, "pt-BR-eula");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("tier-section")).toBeVisible();
  await shot(page, "pt-BR-admin");
});

test.describe("dark theme", () => {
  test.use({ colorScheme: "dark" });

  test("follows the system: dark surfaces and light text", async ({ page }) => {
    await openDevices(page);
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.documentElement);
      return { bg: style.backgroundColor, fg: style.color };
    });
    expect(colours).toEqual({ bg: "rgb(15, 17, 21)", fg: "rgb(230, 233, 238)" });
    await openModeDialog(page, ANDROID.id);
    await shot(page, "dark-start-dialog");
  });
});

test("light theme by default", async ({ page }) => {
  await openApp(page);
  const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(bg).toBe("rgb(255, 255, 255)");
});
