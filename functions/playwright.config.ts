import { defineConfig } from "@playwright/test";
import { chromiumPath } from "./scripts/web/chromium.cjs";

/**
 * The browser suite: the web client (web/) on the Hosting emulator, with the functions, the
 * emulators and the API stand-in's provider pages, in the Chromium scripts/web/chromium.cjs finds or sets
 * up (CHROMIUM_PATH, Playwright's own, the system's). `npm run test:browser` starts the stack around it.
 */
export default defineConfig({
  testDir: "test/browser",
  // Traces and failure reports, with the emulators' logs (git-ignored).
  outputDir: ".emulators/browser-results",
  timeout: 90_000,
  workers: 1,
  reporter: [["list"]],
  use: {
    baseURL: "http://127.0.0.1:5000",
    browserName: "chromium",
    headless: true,
    launchOptions: { executablePath: chromiumPath() },
  },
});
