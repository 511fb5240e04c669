#!/usr/bin/env node
// Runs the README's local-stack commands for real, as a newcomer would: `npm start` (and its
// alias `npm run serve`), `npm run send-webhook`, `npm run demo`, data kept between runs, and
// `--reset`. Part of `npm test`; it needs the ports the emulators use, so nothing else may run.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { secretFile } from "../emulators/local-secret.mjs";
import { TOOLS } from "../dev/tools.mjs";
import {
  functionsDir,
  loadFunctionParams,
  localStack,
  readEmulatorDocument,
  repoDir,
} from "../emulators/local-stack.mjs";

const stack = localStack();
const results = { passed: 0, failed: 0 };
function check(name, ok, detail = "") {
  results[ok ? "passed" : "failed"]++;
  console.log(`${ok ? "✓" : "✗"} ${name}${ok || !detail ? "" : `\n    ${detail}`}`);
  return ok;
}

/** Starts `npm <args>` in its own process group; resolves once the banner is printed. */
function startStack(args) {
  const child = spawn("npm", args, {
    cwd: functionsDir,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no banner within 180 s:\n${output}`)),
      180_000,
    );
    const onData = (chunk) => {
      output += chunk;
      if (output.includes("the local stack is up")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) =>
      reject(new Error(`npm ${args.join(" ")} exited (${code}):\n${output}`)),
    );
  });
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  // Ctrl-C, as a person would press it: the whole group gets SIGINT.
  const stop = async () => {
    process.kill(-child.pid, "SIGINT");
    const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), 90_000));
    return Promise.race([exited, timeout]);
  };
  return { ready, stop, output: () => output };
}

function npm(args) {
  const run = spawnSync("npm", args, { cwd: functionsDir, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

async function verificationStatus(key) {
  const fields = await readEmulatorDocument(stack.firestore, stack.project, `verifications/${key}`);
  return fields?.status?.stringValue;
}

const hadSecret = existsSync(secretFile);
const key = randomUUID();

// 1. A first start on wiped data; a missing secret is created.
let run = startStack(["start", "--", "--reset"]);
await run.ready;
check("npm start -- --reset brings the stack up and prints the banner", true);
if (!hadSecret) {
  check(
    "a missing functions/.secret.local is created, and said so",
    run.output().includes("a random 32-character webhook secret") && existsSync(secretFile),
  );
}
check("the banner shows the webhook URL", run.output().includes(stack.webhookUrl));
// The web client, built by npm start and served by the Hosting emulator at the URL it prints.
const client = /Web client\s+(http:\/\/\S+)/.exec(run.output())?.[1];
const page = client
  ? await fetch(client)
      .then((res) => res.text())
      .catch(() => "")
  : "";
check(
  "the banner shows the web client's URL, which serves the client",
  client === "http://127.0.0.1:5000/" && page.includes("Verify your identity"),
  client ?? "no URL in the banner",
);
// The functions as the emulator loads them: with the local project's params (which providers).
loadFunctionParams(stack.project);
const exported = Object.keys(createRequire(import.meta.url)(join(functionsDir, "lib", "index.js")));
const notInitialized = () =>
  exported.filter(
    (name) =>
      !new RegExp(`functions\\[${stack.region}-${name}\\]: \\w+ function initialized`).test(
        run.output(),
      ),
  );
// The banner waits for widgets only; the triggers' lines may follow it by a moment.
for (let i = 0; i < 60 && notInitialized().length > 0; i++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
}
check(
  `every exported function is initialized, none ignored (${exported.join(", ")})`,
  exported.length > 0 && notInitialized().length === 0 && !/function ignored/.test(run.output()),
  `not initialized: ${notInitialized().join(", ")}`,
);
check(
  "firebase-tools has nothing to say about the firebase-functions version",
  !/outdated version of firebase-functions/.test(run.output()),
);

const sent = npm([
  "run",
  "send-webhook",
  "--",
  "--event",
  "VERIFICATION_REVIEWED",
  "--status",
  "approved",
  "--key",
  key,
]);
check(
  "npm run send-webhook answers 2xx",
  sent.status === 0 && / → 200 /.test(sent.output),
  sent.output,
);
check("the verification appears in Firestore", (await verificationStatus(key)) === "approved");

const wrong = npm(["run", "send-webhook", "--", "--secret", "x".repeat(32), "--key", randomUUID()]);
check(
  "npm run send-webhook exits non-zero on a non-2xx answer",
  wrong.status === 1 && / → 400 /.test(wrong.output),
  wrong.output,
);

for (const scenario of [
  "completed-then-reviewed",
  "reviewed-first",
  "duplicates",
  "re-review",
  "concurrent",
]) {
  const replay = npm(["run", "send-webhook", "--", "--scenario", scenario]);
  check(`npm run send-webhook -- --scenario ${scenario}`, replay.status === 0, replay.output);
}

// The other providers, as their tools' `smoke` says: one event that decides, with its id, then
// each of the sender's histories.
for (const { id: provider, smoke } of TOOLS.filter((tools) => tools.smoke)) {
  const { event, scenarios } = smoke;
  const id = smoke.newId();
  const flag = ["--provider", provider];
  const sent = npm(["run", "send-webhook", "--", ...flag, ...event, "--id", id]);
  check(
    `npm run send-webhook -- --provider ${provider} ${event.join(" ")} answers 2xx`,
    sent.status === 0 && / → 200 /.test(sent.output),
    sent.output,
  );
  check(
    `the ${provider} verification appears in Firestore`,
    (await verificationStatus(id)) === "approved",
  );
  for (const scenario of scenarios) {
    const replay = npm(["run", "send-webhook", "--", ...flag, "--scenario", scenario]);
    check(
      `npm run send-webhook -- --provider ${provider} --scenario ${scenario}`,
      replay.status === 0,
      replay.output,
    );
  }
}

// Every provider's demo, as the tools list them (Passbase's is the default one).
for (const { id: provider } of TOOLS) {
  const flag = provider === "passbase" ? [] : ["--", "--provider", provider];
  const demo = npm(["run", "demo", ...flag]);
  check(
    `npm run demo ${flag.join(" ")} walks through the whole loop`.replace("  ", " "),
    demo.status === 0 && demo.output.includes("identityVerified: true"),
    demo.output,
  );
}

const reconciled = npm(["run", "reconcile", "--", "--emulator", "--all"]);
check(
  "npm run reconcile -- --emulator --all",
  reconciled.status === 0 && /"selected":\d+/.test(reconciled.output),
  reconciled.output,
);

check("Ctrl-C stops the stack", (await run.stop()) !== "timeout");
check(
  "the data is exported on exit",
  existsSync(join(repoDir, ".emulator-data", "firebase-export-metadata.json")),
);

// 2. The alias, and the data kept between runs.
run = startStack(["run", "serve"]);
await run.ready;
check("npm run serve starts the same stack", true);
check("the data is kept between runs", (await verificationStatus(key)) === "approved");
await run.stop();

// 3. --reset wipes it.
run = startStack(["start", "--", "--reset"]);
await run.ready;
check("npm start -- --reset wipes the kept data", (await verificationStatus(key)) === undefined);
await run.stop();

console.log(`stack: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
