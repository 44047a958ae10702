/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Tauri sets TAURI_ENV_DEBUG for `tauri dev` / debug builds.
const tauriDebug = Boolean(process.env.TAURI_ENV_DEBUG);

export default defineConfig({
  plugins: [react()],
  // Keep Rust/Tauri output visible in the same terminal.
  clearScreen: false,
  // Tauri's devUrl points here (tauri.conf.json `build.devUrl`: http://localhost:5173).
  server: {
    port: 5173,
    strictPort: true,
  },
  preview: {
    host: "127.0.0.1",
    port: 4173,
  },
  envPrefix: ["VITE_", "TAURI_"],
  build: {
    outDir: "dist",
    // WebKit (macOS, Linux WebKitGTK) is the oldest engine the window runs on.
    target: "safari15",
    minify: tauriDebug ? false : "oxc",
    sourcemap: tauriDebug,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
