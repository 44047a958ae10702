/**
 * Bundles the page's back end (`mock/page.ts` with the UI's fake back end, `ui/src/test/fake`)
 * into one script, `output/mock/backend.js`, with the UI's own bundler (its Vite), before the
 * tests run. `openApp` adds it to every page.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const MOCK_BUNDLE = path.resolve(import.meta.dirname, "output/mock/backend.js");

interface Vite {
  build(config: Record<string, unknown>): Promise<unknown>;
}

export default async function bundleMockBackend(): Promise<void> {
  const ui = path.resolve(import.meta.dirname, "../../ui");
  const vitePath = createRequire(path.join(ui, "package.json")).resolve("vite");
  const vite = (await import(pathToFileURL(vitePath).href)) as Vite;
  await vite.build({
    configFile: false,
    root: import.meta.dirname,
    logLevel: "warn",
    build: {
      lib: { entry: path.resolve(import.meta.dirname, "mock/page.ts"), formats: ["iife"], name: "mockBackend", fileName: () => "backend.js" },
      outDir: path.dirname(MOCK_BUNDLE),
      emptyOutDir: true,
      minify: false,
      // The page is Debian's Chromium.
      target: "es2022",
    },
  });
}
