import { existsSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const port = Number(process.env.BROWSER_TESTS_PORT ?? 4317);
// The built UI; serve.mjs serves the same folder (UI_DIST, default ui/dist).
const dist = path.join(path.resolve(process.env.UI_DIST ?? path.join(import.meta.dirname, "../../ui/dist")), "index.html");
if (!existsSync(dist)) {
  throw new Error(`${dist} is missing: build the UI first (npm --prefix ui run build), or use tests/browser/run.sh`);
}

export default defineConfig({
  testDir: "specs",
  // The page's back end (ui/src/test/fake) bundled into one script first.
  globalSetup: "./global-setup.ts",
  outputDir: "output/test-results",
  // Two cores: the performance figures are only meaningful with one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 5_000 },
  reporter: [["list"], ["json", { outputFile: "output/results.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    // Debian's Chromium: no browser is downloaded.
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    headless: true,
    viewport: { width: 1280, height: 800 },
    locale: "en-US",
    timezoneId: "UTC",
    colorScheme: "light",
    trace: "off",
    screenshot: "only-on-failure",
  },
  webServer: {
    command: "node serve.mjs",
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    timeout: 10_000,
  },
});
