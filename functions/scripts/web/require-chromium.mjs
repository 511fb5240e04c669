#!/usr/bin/env node
// The browser suite runs in Debian's Chromium (Playwright cannot download its browsers here). A
// missing browser fails the run with what to install: the suite is never skipped.
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  console.error(
    `\nNo Chromium at ${path}: the browser suite needs it. Install Debian's package ` +
      "(apt-get update && apt-get install -y chromium), or set CHROMIUM_PATH to a Chromium.\n",
  );
  process.exit(1);
}
console.log(`Chromium: ${path}`);
