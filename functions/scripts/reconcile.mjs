#!/usr/bin/env node
// Runs reconciliation by hand, for one verification or for all that need it: the same code as the
// scheduled reconcileVerifications, from the build. For operators who know they missed webhooks
// (after rotating the secret, say). `npm run reconcile -- --help` lists the options.
import dotenv from "dotenv";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { API_KEY_NAME, readLocalSecret } from "./local-secret.mjs";
import { functionsDir, localStack } from "./local-stack.mjs";

const HELP = `Usage: npm run reconcile -- (--key UUID | --all) [options]

  --key UUID                 reconcile this verification, whatever its age
  --all                      every verification still pending, or without details
  --older-than-minutes N     with --all: only those unresolved for N minutes (default 0)
  --limit N                  with --all: at most N (default 1000)
  --emulator                 against the local stack (npm start) and its API stand-in
  --help                     this text

Without --emulator it uses Application Default Credentials and GCLOUD_PROJECT, and reads
PASSBASE_SECRET_API_KEY (and PASSBASE_API_BASE_URL, if not the default) from the environment.`;

const { values } = parseArgs({
  options: {
    key: { type: "string" },
    all: { type: "boolean", default: false },
    "older-than-minutes": { type: "string", default: "0" },
    limit: { type: "string", default: "1000" },
    emulator: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help || (!values.key && !values.all)) {
  console.log(HELP);
  process.exit(values.help ? 0 : 2);
}

let apiKey = process.env.PASSBASE_SECRET_API_KEY;
let baseUrl = process.env.PASSBASE_API_BASE_URL ?? "https://api.passbase.com/verification/v1";
let projectId = process.env.GCLOUD_PROJECT;
if (values.emulator) {
  const stack = localStack();
  process.env.FIRESTORE_EMULATOR_HOST = stack.firestore;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = stack.auth;
  projectId = stack.project;
  apiKey = readLocalSecret(API_KEY_NAME);
  baseUrl = dotenv.parse(
    readFileSync(join(functionsDir, `.env.${stack.project}`), "utf8"),
  ).PASSBASE_API_BASE_URL;
}
if (!apiKey) {
  console.error("PASSBASE_SECRET_API_KEY is not set: nothing can be asked of Passbase.");
  process.exit(2);
}

const lib = join(functionsDir, "lib");
if (!existsSync(lib)) {
  console.error("functions/lib is missing: run `npm run build` first.");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const { initializeApp } = require("firebase-admin/app");
const { getFirestore } = require("firebase-admin/firestore");
const { getAuth } = require("firebase-admin/auth");
const logger = require("firebase-functions/logger");
const { createDetailsServices } = require(join(lib, "details", "services.js"));
const { createLogs } = require(join(lib, "logs.js"));
const { createPassbaseApi } = require(join(lib, "passbase", "api-client.js"));

initializeApp(projectId ? { projectId } : undefined);
const env = dotenv.parse(readFileSync(join(functionsDir, ".env"), "utf8"));
const { reconciler } = createDetailsServices({
  db: () => getFirestore(),
  auth: () => getAuth(),
  logs: createLogs(logger),
  uidField: () => env.PASSBASE_METADATA_UID_FIELD ?? "uid",
  includeOwner: () => env.PASSBASE_STORE_OWNER === "true",
});
const api = createPassbaseApi({ baseUrl, apiKey });

if (values.key) {
  console.log(
    JSON.stringify({
      key: values.key,
      outcome: await reconciler.reconcileKey(api, values.key.toLowerCase()),
    }),
  );
} else {
  const summary = await reconciler.run(api, {
    olderThanMinutes: Number(values["older-than-minutes"]),
    limit: Number(values.limit),
  });
  console.log(JSON.stringify(summary));
}
process.exit(0);
