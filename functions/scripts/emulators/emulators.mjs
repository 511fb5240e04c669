#!/usr/bin/env node
// Runs the Firebase emulators (functions, firestore, auth, pubsub, tasks) on the demo project,
// offline, with the Java and the emulators that emulator-binaries.mjs finds:
//   node scripts/emulators/emulators.mjs exec "<command>" [--log FILE] [--only firestore,...]
//                                                 [--codebase DIR]
//                                                 the command runs in functions/, then all stops;
//                                                 with --log, the emulators' output is kept too;
//                                                 --codebase serves one more functions codebase
//                                                 (the bench's baseline) beside ours;
//                                                 --config FILE --project ID runs another
//                                                 project (the kit suite's team project)
//   node scripts/emulators/emulators.mjs start [--reset]    the local stack, until Ctrl-C (`npm start`)
import { spawn } from "node:child_process";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { EmulatorNotFound, emulatorEnv } from "./emulator-binaries.mjs";
import {
  ensureLocalSecrets,
  localSecretWhat,
  readLocalSecret,
  secretFile,
} from "./local-secret.mjs";
import { TOOLS } from "../dev/tools.mjs";
import { bannerText } from "./banner.mjs";
import { STAND_IN_PORT, startStandIn } from "../dev/api-stand-in.mjs";
import { functionsDir, localStack, repoDir, webhookUrls } from "./local-stack.mjs";
import local from "./local.cjs";

/** Every emulator the functions need: Pub/Sub runs the scheduled one, Cloud Tasks the queues. */
export const EMULATORS = "functions,firestore,auth,pubsub,tasks";
/** `npm start` also serves the web client (web/public, built first) on the Hosting emulator. */
const WITH_CLIENT = `${EMULATORS},hosting`;
/** Where the Hosting emulator serves the client (firebase.json's emulators.hosting). */
const clientUrl = () => {
  const { host, port } = JSON.parse(readFileSync(join(repoDir, "firebase.json"), "utf8")).emulators
    .hosting;
  return `http://${host}:${port}/`;
};
/** Where `npm start` keeps emulator data between runs (git-ignored). */
const dataDir = join(repoDir, ".emulator-data");

const [verb, ...rest] = process.argv.slice(2);
const usage = () => {
  console.error(
    'usage: node scripts/emulators/emulators.mjs exec "<command>" [--log FILE] [--only …] | start [--reset]',
  );
  process.exit(2);
};

const stack = localStack();
let args;
let logFile;
let only = EMULATORS;
if (verb === "exec" && rest.length >= 1) {
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      log: { type: "string" },
      only: { type: "string", default: EMULATORS },
      codebase: { type: "string" },
      config: { type: "string" },
      project: { type: "string" },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) usage();
  logFile = values.log;
  only = values.only;
  const project = values.project ?? stack.project;
  args = ["emulators:exec", "--only", only, "--project", project, positionals[0]];
  if (values.codebase) args.push("--config", withCodebase(values.codebase));
  else if (values.config) args.push("--config", values.config);
} else if (verb === "start") {
  const { values } = parseArgs({ args: rest, options: { reset: { type: "boolean" } } });
  if (values.reset && existsSync(dataDir)) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`Removed the saved emulator data in ${relative(repoDir, dataDir)}/.`);
  }
  const saved = existsSync(join(dataDir, "firebase-export-metadata.json"));
  args = [
    "emulators:start",
    "--only",
    WITH_CLIENT,
    "--project",
    stack.project,
    ...(saved ? ["--import", dataDir] : []),
    `--export-on-exit=${dataDir}`,
  ];
} else {
  usage();
}

let found;
try {
  found = emulatorEnv(only.split(","));
} catch (error) {
  if (!(error instanceof EmulatorNotFound)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
for (const source of found.sources) console.log(source);
for (const name of ensureLocalSecrets()) {
  console.log(`Added ${name} to ${relative(repoDir, secretFile)}: ${localSecretWhat(name)}.`);
}
// The stand-in for the providers' APIs (functions/.env.demo-passbase points the functions at it).
// For the test suites it answers 404 unless they program it; for `npm start`, from Firestore.
try {
  await startStandIn({
    // Each provider's local secrets: its API key, and what signs its requests (Veriff's webhook
    // secret, Sumsub's secret key).
    keys: Object.fromEntries(
      TOOLS.flatMap((tools) => Object.keys(tools.localSecrets)).map((name) => [
        name,
        readLocalSecret(name),
      ]),
    ),
    project: stack.project,
    firestore: verb === "start" ? stack.firestore : undefined,
    // The providers' local pages send their webhooks here, then the browser back to the app.
    pages: {
      widgets: `${stack.functionsBase}/widgets`,
      returnUrl: local.localParams(stack.project).VERIFICATION_RETURN_URL,
    },
  });
} catch (error) {
  if (error.code !== "EADDRINUSE") throw error;
  console.error(
    `\nPort ${STAND_IN_PORT} (the local API stand-in) is in use: is another ` +
      "`npm start` or test run still going? Stop it and try again.\n",
  );
  process.exit(1);
}

/**
 * A config beside firebase.json (it must sit in the project's root) that adds one codebase, so
 * that it is served by the same Functions emulator but never named by firebase.json, and so never
 * deployed. Removed when the emulators stop.
 */
function withCodebase(dir) {
  const config = JSON.parse(readFileSync(join(repoDir, "firebase.json"), "utf8"));
  const source = relative(repoDir, join(functionsDir, dir));
  config.functions = [...config.functions, { source, codebase: "extra" }];
  const file = join(repoDir, ".firebase-extra.json");
  writeFileSync(file, JSON.stringify(config, null, 2));
  process.on("exit", () => rmSync(file, { force: true }));
  return file;
}

const firebase = join(functionsDir, "node_modules", ".bin", "firebase");
const child = spawn(firebase, args, {
  cwd: functionsDir,
  stdio: logFile ? ["inherit", "pipe", "pipe"] : "inherit",
  // No metadata server here: keep the Google auth library from probing for one.
  env: { METADATA_SERVER_DETECTION: "none", ...process.env, ...found.env },
});
if (logFile) {
  // Tee: the functions' log lines are checked for leaks once the suites have run.
  mkdirSync(dirname(logFile), { recursive: true });
  const log = createWriteStream(logFile);
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    log.write(chunk);
  });
  child.stderr.on("data", (chunk) => {
    process.stderr.write(chunk);
    log.write(chunk);
  });
}
// Ctrl-C reaches the whole process group; a signal sent to this process alone is passed on, so
// that firebase-tools still exports the data and stops the emulators.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

if (verb === "start") void announceWhenReady();

/** Prints the banner once the functions are loaded: the widgets route answers (405 to a GET). */
async function announceWhenReady() {
  for (let i = 0; i < 600; i++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const res = await fetch(stack.webhookUrl).catch(() => undefined);
    if (res?.status === 405) break;
  }
  const rel = (path) => relative(repoDir, path);
  console.log(
    bannerText({
      project: stack.project,
      clientUrl: clientUrl(),
      webhooks: webhookUrls(stack),
      secrets: rel(secretFile),
      data: rel(dataDir),
    }),
  );
}
