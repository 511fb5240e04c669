#!/usr/bin/env node
// Sends a test webhook encrypted exactly as Passbase does (base64 of IV + AES-256-CBC), to the
// local stack or to any URL. `npm run send-webhook -- --help` lists the options.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { readLocalSecret, secretFile } from "./local-secret.mjs";
import { functionsDir, localStack } from "./local-stack.mjs";

const HELP = `Usage: npm run send-webhook -- [options]

  --event NAME       VERIFICATION_COMPLETED (default) or VERIFICATION_REVIEWED, or any other type
  --status STATUS    pending, approved or declined (default: pending for COMPLETED, else approved)
  --key UUID         the identity key (default: a random UUID)
  --secret SECRET    the webhook secret (default: the first key in functions/.secret.local)
  --url URL          where to POST (default: the local widgets/webhooks on the emulators)
  --plain            send plaintext JSON instead (needs PASSBASE_ALLOW_UNENCRYPTED and no secret)
  --scenario NAME    replay a sequence for one key: %SCENARIOS%
  --help             this text

Timestamps are the current time. Exits non-zero when any answer is not 2xx.`;

/** Realistic sequences for one identity; `at` offsets the event's times in seconds. */
const scenarios = {
  "completed-then-reviewed": [
    [["VERIFICATION_COMPLETED", "pending", 0]],
    [["VERIFICATION_REVIEWED", "approved", 60]],
  ],
  "reviewed-first": [
    [["VERIFICATION_REVIEWED", "approved", 60]],
    [["VERIFICATION_COMPLETED", "pending", 0]],
  ],
  duplicates: [
    [["VERIFICATION_COMPLETED", "pending", 0]],
    [["VERIFICATION_COMPLETED", "pending", 0]],
    [["VERIFICATION_REVIEWED", "approved", 60]],
    [["VERIFICATION_REVIEWED", "approved", 60]],
  ],
  "re-review": [
    [["VERIFICATION_COMPLETED", "pending", 0]],
    [["VERIFICATION_REVIEWED", "approved", 60]],
    [["VERIFICATION_REVIEWED", "declined", 120]],
  ],
  // Both events at the same moment, as Passbase's docs warn they may arrive.
  concurrent: [
    [
      ["VERIFICATION_COMPLETED", "pending", 0],
      ["VERIFICATION_REVIEWED", "approved", 60],
    ],
  ],
};

const { values } = parseArgs({
  options: {
    event: { type: "string", default: "VERIFICATION_COMPLETED" },
    status: { type: "string" },
    key: { type: "string" },
    secret: { type: "string" },
    url: { type: "string" },
    plain: { type: "boolean", default: false },
    scenario: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(HELP.replace("%SCENARIOS%", Object.keys(scenarios).join(", ")));
  process.exit(0);
}

// The receiver's own encryption helper (tested against openssl vectors), from the build.
const built = join(functionsDir, "lib", "passbase", "crypto.js");
if (!existsSync(built)) {
  console.error("functions/lib is missing: run `npm run build` first.");
  process.exit(2);
}
const { encryptPayload } = createRequire(import.meta.url)(built);

const secret = values.plain ? undefined : (values.secret ?? readLocalSecret()?.split("\n")[0]);
if (!values.plain && !secret) {
  console.error(`No secret: pass --secret, or create ${secretFile} (npm start does).`);
  process.exit(2);
}
const url = values.url ?? localStack().webhookUrl;
const key = values.key ?? randomUUID();
const now = Math.floor(Date.now() / 1000);

const payload = ([event, status, at]) => ({
  event,
  key,
  status,
  created: now,
  updated: now + at,
  processed: now + at,
});

async function send(body) {
  const text = JSON.stringify(body);
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": values.plain ? "application/json" : "text/plain" },
    body: values.plain ? text : encryptPayload(text, Buffer.from(secret, "utf8")),
  });
  const answer = await res.text();
  console.log(`${body.event} ${body.status ?? ""} → ${res.status} ${answer}`);
  return res.ok;
}

let steps;
if (values.scenario) {
  steps = scenarios[values.scenario];
  if (!steps) {
    console.error(`Unknown scenario ${values.scenario}: ${Object.keys(scenarios).join(", ")}`);
    process.exit(2);
  }
} else {
  const status =
    values.status ?? (values.event === "VERIFICATION_COMPLETED" ? "pending" : "approved");
  steps = [[[values.event, status, 0]]];
}

console.log(`key ${key} → ${url}`);
let ok = true;
for (const together of steps) {
  const results = await Promise.all(together.map((step) => send(payload(step))));
  ok &&= results.every(Boolean);
}
process.exit(ok ? 0 : 1);
