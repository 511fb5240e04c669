// Finds the Chromium the browser suite and the web bench drive, or sets one up: the one way, used
// by `npm run test:browser` (before the suite), playwright.config.ts and scripts/bench/bench-web.mjs.
// Run as a script (`node scripts/web/chromium.cjs`), it finds or sets up and prints the path.
const { spawnSync } = require("node:child_process");
const { existsSync, readFileSync } = require("node:fs");
const { delimiter, join } = require("node:path");

/** Where a system's Chromium or Chrome usually is, by platform: absolute paths. */
const SYSTEM_PATHS = {
  linux: [
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/snap/bin/chromium",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
  ],
  darwin: [
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  ],
};

/** The names a Chromium goes by on the PATH, where it is elsewhere than the usual places. */
const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** Playwright's own Chromium, where it would be once installed (the file may not exist). */
function playwrightChromium() {
  try {
    return require("@playwright/test").chromium.executablePath();
  } catch {
    return undefined;
  }
}

/**
 * The candidates, in the order they are tried: CHROMIUM_PATH, Playwright's installed browser, the
 * system's usual paths, then the names on the PATH. Each is `{ path, from }`.
 */
function candidates({ env, platform, playwrightPath }) {
  const found = [];
  if (env.CHROMIUM_PATH) found.push({ path: env.CHROMIUM_PATH, from: "CHROMIUM_PATH" });
  if (playwrightPath) found.push({ path: playwrightPath, from: "Playwright's browser" });
  for (const path of SYSTEM_PATHS[platform] ?? []) found.push({ path, from: "the system" });
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    for (const name of PATH_NAMES) found.push({ path: join(dir, name), from: "the PATH" });
  }
  return found;
}

/**
 * The first candidate that exists: `{ path, from }`, or `{ tried }` (each place looked at). A
 * CHROMIUM_PATH that does not exist is an error, not a hint: nothing else is tried after it.
 */
function findChromium({
  env = process.env,
  platform = process.platform,
  playwrightPath = playwrightChromium(),
  exists = existsSync,
} = {}) {
  const all = candidates({ env, platform, playwrightPath });
  if (env.CHROMIUM_PATH) {
    return exists(env.CHROMIUM_PATH)
      ? all[0]
      : { tried: [`CHROMIUM_PATH=${env.CHROMIUM_PATH} (no such file)`] };
  }
  const hit = all.find(({ path }) => exists(path));
  return hit ?? { tried: [...new Set(all.map(({ path }) => path))] };
}

/** Debian or Ubuntu (or one like them), from /etc/os-release. */
function isDebianLike(osRelease) {
  return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(osRelease);
}

/** What to run by hand on this OS, when nothing could be set up. */
function advice(platform, osRelease) {
  if (platform === "darwin") {
    return "On macOS: `npx playwright install chromium` (needs the network), or install Google Chrome or Chromium in /Applications, or set CHROMIUM_PATH.";
  }
  if (platform === "linux" && isDebianLike(osRelease)) {
    return "On Debian or Ubuntu: `npx playwright install --with-deps chromium`, or as root `apt-get install -y chromium` (Ubuntu: chromium-browser), or set CHROMIUM_PATH.";
  }
  return "Run `npx playwright install --with-deps chromium`, or install Chromium with your system's package manager, or set CHROMIUM_PATH to a Chromium or Chrome.";
}

/**
 * The steps that set a browser up, in order, for this machine: Playwright's own download, then
 * (Debian or Ubuntu, as root) the distribution's package. Each `{ what, command, args }`.
 */
function setupSteps({ platform, osRelease, isRoot }) {
  const steps = [
    {
      what: "npx playwright install chromium",
      command: "npx",
      args: ["--no", "playwright", "install", "chromium"],
    },
  ];
  if (platform === "linux" && isRoot && isDebianLike(osRelease)) {
    const pkg = /^ID=ubuntu$/m.test(osRelease) ? "chromium-browser" : "chromium";
    steps.push({
      what: `apt-get install -y ${pkg}`,
      command: "sh",
      args: ["-c", `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${pkg}`],
    });
  }
  return steps;
}

/** Reads /etc/os-release; empty where there is none (macOS). */
function readOsRelease() {
  try {
    return readFileSync("/etc/os-release", "utf8");
  } catch {
    return "";
  }
}

/**
 * Finds a Chromium, else sets one up and finds it again. Returns its path, or throws an Error whose
 * message says what was tried and what to run on this OS.
 */
function ensureChromium({ log = console.log, run = spawnSync } = {}) {
  const first = findChromium();
  if (first.path) return first.path;
  if (process.env.CHROMIUM_PATH) {
    throw new Error(`No browser: ${first.tried[0]}. Point CHROMIUM_PATH at a Chromium or Chrome.`);
  }
  const osRelease = readOsRelease();
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const attempts = [];
  for (const step of setupSteps({ platform: process.platform, osRelease, isRoot })) {
    log(`No Chromium found: setting one up with \`${step.what}\``);
    const result = run(step.command, step.args, {
      stdio: "inherit",
      cwd: join(__dirname, "..", ".."),
    });
    const again = findChromium();
    if (again.path) return again.path;
    attempts.push(
      `${step.what} (${result.error ? result.error.message : `exit ${result.status}`})`,
    );
  }
  throw new Error(
    [
      "The browser suite needs Chromium, and none could be found or set up.",
      `Looked in: ${first.tried.join(", ")}.`,
      attempts.length ? `Tried: ${attempts.join("; ")}.` : "",
      advice(process.platform, osRelease),
    ]
      .filter(Boolean)
      .join("\n"),
  );
}

/** The path of the Chromium to drive: the one found; throws (saying what to do) when none is. */
function chromiumPath() {
  const found = findChromium();
  if (found.path) return found.path;
  throw new Error(
    "No Chromium found: `npm run test:browser` sets one up (node scripts/web/chromium.cjs), or set CHROMIUM_PATH.",
  );
}

module.exports = { findChromium, setupSteps, advice, ensureChromium, chromiumPath };

if (require.main === module) {
  try {
    console.log(`Chromium: ${ensureChromium()}`);
  } catch (error) {
    console.error(`\n${error.message}\n`);
    process.exit(1);
  }
}
