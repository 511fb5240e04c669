#!/usr/bin/env node
// Runs reconciliation by hand: the same code as the scheduled reconcileVerifications, from the
// build. It queues checks on the check queue (Cloud Tasks), which checkVerification then runs, so
// the API is asked by the deployed function, with the queue's retries and rate limits. For
// operators who know they missed webhooks (after rotating the secret, say).
// `npm run reconcile -- --help` lists the options.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { functionsDir, loadFunctionParams, localStack } from "../emulators/local-stack.mjs";

const HELP = `Usage: npm run reconcile -- (--key ID | --all | --due) [options]

  --key ID                   queue a check of this verification now, whatever its schedule
  --due                      what the scheduled run does: queue the verifications that are due
  --all                      queue every verification still unresolved, due or not
  --limit N                  with --due or --all: at most N (default 1000)
  --emulator                 against the local stack (npm start)
  --service-account EMAIL    the account Cloud Tasks calls checkVerification as (production:
                             the functions' runtime service account)
  --help                     this text

Without --emulator it uses Application Default Credentials and GCLOUD_PROJECT; the account needs
the Cloud Tasks Enqueuer role, and to act as the --service-account.`;

const { values } = parseArgs({
  options: {
    key: { type: "string" },
    all: { type: "boolean", default: false },
    due: { type: "boolean", default: false },
    limit: { type: "string", default: "1000" },
    emulator: { type: "boolean", default: false },
    "service-account": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help || (!values.key && !values.all && !values.due)) {
  console.log(HELP);
  process.exit(values.help ? 0 : 2);
}

let projectId = process.env.GCLOUD_PROJECT;
if (values.emulator) {
  const stack = localStack();
  process.env.FIRESTORE_EMULATOR_HOST = stack.firestore;
  process.env.FIREBASE_AUTH_EMULATOR_HOST = stack.auth;
  process.env.CLOUD_TASKS_EMULATOR_HOST = stack.tasks;
  projectId = stack.project;
}
if (!projectId) {
  console.error("Set GCLOUD_PROJECT to your project id, or pass --emulator.");
  process.exit(2);
}
if (!existsSync(join(functionsDir, "lib"))) {
  console.error("functions/lib is missing: run `npm run build` first.");
  process.exit(2);
}
// What the Functions runtime gives a function: its app options, and the params' values.
process.env.FIREBASE_CONFIG = JSON.stringify({
  projectId,
  ...(values["service-account"] ? { serviceAccountId: values["service-account"] } : {}),
});
const registry = loadFunctionParams(projectId);
const { createServices } = createRequire(import.meta.url)(join(functionsDir, "lib", "services.js"));
const reconciler = await createServices(registry).reconciler();

if (values.key) {
  console.log(JSON.stringify({ key: values.key, outcome: await reconciler.checkNow(values.key) }));
} else {
  const dueBy = values.due ? Date.now() : Date.UTC(9999, 0);
  console.log(JSON.stringify(await reconciler.run({ dueBy, limit: Number(values.limit) })));
}
process.exit(0);
