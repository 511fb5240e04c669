#!/usr/bin/env node
// `npm run bench`, part four: the web client in Chromium (found or set up as the
// browser suite's: scripts/web/chromium.cjs) on the local stack (the Hosting
// emulator, the functions, the emulators). Measured in one run, each beside its baseline:
//   bundle        what a first visit downloads (web/public/app.js), raw and gzipped, and the
//                 providers' SDKs beside it, loaded only when their flow opens;
//   first load    a fresh browser context opening the client until its sign-in form shows,
//                 against the same page without the client's script (the Hosting emulator's
//                 floor), interleaved;
//   first status  a signed-in user reloading the client until the status shows (the SDK's auth
//                 restore, App Check and the first snapshot of users/{uid}), against one REST read
//                 of that document from the same machine, interleaved.
// Adds the numbers to bench-results.json.
import { chromium } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { functionsDir, localStack } from "../emulators/local-stack.mjs";
import { buildWeb, publicDir } from "../web/build.mjs";
import chromiumFinder from "../web/chromium.cjs";

if (!process.env.FIREBASE_AUTH_EMULATOR_HOST) {
  console.error("Run this through `npm run bench`: it needs the local stack.");
  process.exit(2);
}
// Built again, before anything is measured (the same output), for what the build knows: which
// files a first visit downloads, and the providers' SDKs loaded only when their flow opens.
const built = await buildWeb();
const RUNS = 10;
const APP = "http://127.0.0.1:5000/";
const BLANK = `${APP}bench-blank.html`;
const stack = localStack();

// The baseline page: the client's page without its scripts (removed with the next build).
writeFileSync(
  join(publicDir, "bench-blank.html"),
  readFileSync(join(publicDir, "index.html"), "utf8")
    .replace(/<script[^>]*><\/script>/, "")
    .replace(/<link rel="modulepreload"[^>]*>/g, ""),
);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const browser = await chromium.launch({ executablePath: chromiumFinder.ensureChromium() });

/** Milliseconds from opening `url` in a fresh context until `selector` is visible. */
async function firstLoad(url, selector) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(url);
  await page.locator(selector).waitFor({ state: "visible" });
  const ms = performance.now() - started;
  await context.close();
  return ms;
}

const loads = { app: [], blank: [] };
for (let i = 0; i < RUNS; i++) {
  loads.blank.push(await firstLoad(BLANK, "h1"));
  loads.app.push(await firstLoad(APP, "#sign-in"));
}

// A signed-in user: the status after a reload, against a REST read of the same document.
const context = await browser.newContext();
const page = await context.newPage();
const email = `bench-${randomUUID()}@example.com`;
await page.goto(APP);
await page.getByLabel("Email").fill(email);
await page.getByLabel("Password").fill("a-local-password");
await page.getByRole("button", { name: "Create an account" }).click();
await page.locator('#status[data-state="not-started"]').waitFor();
const signIn = await (
  await fetch(
    `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=local`,
    {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email, password: "a-local-password", returnSecureToken: true }),
    },
  )
).json();
const documentUrl = `http://${stack.firestore}/v1/projects/${stack.project}/databases/(default)/documents/users/${signIn.localId}`;
const statuses = { app: [], rest: [] };
for (let i = 0; i < RUNS; i++) {
  let started = performance.now();
  await fetch(documentUrl, { headers: { Authorization: `Bearer ${signIn.idToken}` } }).then((r) =>
    r.text(),
  );
  statuses.rest.push(performance.now() - started);
  started = performance.now();
  await page.reload();
  await page.locator('#status:not([data-state="loading"])').waitFor();
  statuses.app.push(performance.now() - started);
}
await browser.close();

const bundle = Buffer.concat(built.files.map((file) => readFileSync(join(publicDir, file))));
const later = built.later.reduce((sum, chunk) => sum + chunk.bytes, 0);
const result = {
  machine: `${cpus().length} cores, ${round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Debian Chromium`,
  runs: RUNS,
  bundleBytes: bundle.length,
  bundleGzipBytes: gzipSync(bundle).length,
  providerSdkBytes: later,
  firstLoadMs: { client: round(median(loads.app)), pageAlone: round(median(loads.blank)) },
  firstLoadRatio: round(median(loads.app) / median(loads.blank), 2),
  firstStatusMs: { client: round(median(statuses.app)), restRead: round(median(statuses.rest)) },
  firstStatusRatio: round(median(statuses.app) / median(statuses.rest), 2),
};
console.log(
  `\n8. The web client in Chromium on the local stack (median of ${RUNS}, ${result.machine})`,
);
console.table([
  {
    measure: `bundle, first visit (${built.files.join(", ")})`,
    client: `${result.bundleBytes} B (${result.bundleGzipBytes} B gzipped)`,
    baseline: "—",
    ratio: "—",
  },
  {
    measure: "providers' SDKs, loaded when their flow opens",
    client: `${result.providerSdkBytes} B in ${built.later.length} chunks`,
    baseline: "—",
    ratio: "—",
  },
  {
    measure: "first load, until the sign-in form",
    client: `${result.firstLoadMs.client} ms`,
    baseline: `${result.firstLoadMs.pageAlone} ms (the page without its script)`,
    ratio: result.firstLoadRatio,
  },
  {
    measure: "first status after a reload, signed in",
    client: `${result.firstStatusMs.client} ms`,
    baseline: `${result.firstStatusMs.restRead} ms (one REST read of users/{uid})`,
    ratio: result.firstStatusRatio,
  },
]);

const file = join(functionsDir, "bench-results.json");
const results = JSON.parse(readFileSync(file, "utf8"));
writeFileSync(file, `${JSON.stringify({ ...results, webClient: result }, null, 2)}\n`);
console.log(`\nAdded them to functions/bench-results.json`);
process.exit(0);
