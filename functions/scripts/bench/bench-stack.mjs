#!/usr/bin/env node
// `npm run bench`, part three: the webhook's acknowledgement through the whole local stack, as a
// developer meets it. Sequential Passbase deliveries to `widgets` on the Functions emulator, with
// every function alive, beside Passbase's naive sample served by the same emulator
// (naive-function/, which `npm run bench` adds as a codebase of its own). Three phases, each run
// twice and interleaved, with the background settled between them (p50, mean and p95):
//   naive        the sample, completions and decisions alternating;
//   completions  widgets, completions only: no decision, so no check task;
//   mix          widgets, each identity's completion then its decision, the API stand-in answering
//                the check task that each decision queues (in 250 ms), the verifications linked
//                to users; measured once more on its own, as `fresh`, right after the stack
//                starts, while the check queue's first tasks start the emulator's workers.
// Also the peak of the emulator's worker processes: it starts one per execution in flight.
// Adds the numbers to bench-results.json.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { readLocalSecret } from "../emulators/local-secret.mjs";
import local from "../emulators/local.cjs";
import { functionsDir, localStack, signUp } from "../emulators/local-stack.mjs";
import { STAND_IN_PORT } from "../dev/api-stand-in.mjs";
import { quiet as settled, watchWorkers } from "./stack-watch.mjs";

const [logFile] = process.argv.slice(2);
if (!logFile || !process.env.FIREBASE_AUTH_EMULATOR_HOST) {
  console.error("Run this through `npm run bench`: it needs the local stack and its log.");
  process.exit(2);
}
/** Identities per half of a phase: each sends two deliveries. */
const PER_HALF = 20;
const FUNCTIONS = [
  "widgets",
  "linkVerification",
  "onVerificationWritten",
  "checkVerification",
  "naiveWebhook",
];
/** How long the API stand-in takes to answer a check: a provider's API is no loopback. */
const API_MS = 250;
/** The naive function's key: see naive-function/index.cjs. */
const NAIVE_KEY = Buffer.from("bench-naive-key-0123456789abcdef");

const require = createRequire(import.meta.url);
const { initializeApp } = require("firebase-admin/app");
const { getAuth } = require("firebase-admin/auth");
const { encryptPayload } = require(join(functionsDir, "lib", "providers", "passbase", "crypto.js"));

const stack = localStack();
initializeApp({ projectId: stack.project });
const auth = getAuth();
const secret = Buffer.from(readLocalSecret("PASSBASE_WEBHOOK_SECRET").split("\n")[0]);
const quiet = () => settled(logFile, stack.region, FUNCTIONS, 120_000);
const naiveUrl = `${stack.functionsBase}/naiveWebhook`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** A completion, or a decision a minute later. */
const payload = (key, decision, at) => ({
  event: decision ? "VERIFICATION_REVIEWED" : "VERIFICATION_COMPLETED",
  key,
  status: decision ? "approved" : "pending",
  created: at,
  updated: at + (decision ? 60 : 0),
  processed: at + (decision ? 60 : 0),
});

/** A user who links `key` as the app would, and the stand-in's answer for its check. */
async function prepare(key, at) {
  const user = await signUp(auth, stack, "bench");
  const linked = await fetch(`${stack.functionsBase}/linkVerification`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${user.idToken}`,
      "X-Firebase-AppCheck": local.localAppCheckToken(),
    },
    body: JSON.stringify({ data: { key } }),
  });
  if (!linked.ok) throw new Error(`linkVerification: HTTP ${linked.status}`);
  await fetch(`http://127.0.0.1:${STAND_IN_PORT}/__stand-in/identities/${key}`, {
    method: "PUT",
    body: JSON.stringify({
      responses: [
        {
          status: 200,
          body: { id: key, status: "approved", created: at, updated: at + 60 },
          delayMs: API_MS,
        },
      ],
    }),
  });
}

/** The deliveries of one half of a phase, in the order they are sent. */
async function deliveries(phase) {
  const at = Math.floor(Date.now() / 1000);
  const sends = [];
  for (let i = 0; i < PER_HALF; i++) {
    if (phase === "naive") {
      for (const decision of [false, true]) {
        sends.push({ url: naiveUrl, body: payload(randomUUID(), decision, at), key: NAIVE_KEY });
      }
      continue;
    }
    // Completions only: as many deliveries as the mix, each for an identity of its own.
    const keys = phase === "mix" ? [randomUUID()] : [randomUUID(), randomUUID()];
    for (const key of keys) await prepare(key, at);
    const events =
      phase === "mix"
        ? [payload(keys[0], false, at), payload(keys[0], true, at)]
        : keys.map((key) => payload(key, false, at));
    for (const body of events) sends.push({ url: stack.webhookUrl, body, key: secret });
  }
  return sends;
}

/** Sends one half of a phase, one delivery at a time; its latencies and its peak of workers. */
async function half(phase) {
  const sends = await deliveries(phase);
  await quiet();
  const workers = watchWorkers();
  const ms = [];
  for (const send of sends) {
    const body = encryptPayload(JSON.stringify(send.body), send.key);
    const started = performance.now();
    const res = await fetch(send.url, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body,
    });
    await res.arrayBuffer();
    ms.push(performance.now() - started);
    if (res.status !== 200) throw new Error(`${phase}: HTTP ${res.status}`);
  }
  // The background work a phase causes counts against it: the peak runs until it has settled.
  await quiet();
  return { ms, peakWorkers: workers.stop() };
}

/**
 * `fresh` is the first run of decisions after the stack starts: the check queue's workers start
 * then, as they do in every `npm start` and every test run. The others are measured warm.
 */
const PHASES = ["fresh", "mix", "completions", "naive"];
const samples = Object.fromEntries(PHASES.map((phase) => [phase, { ms: [], peakWorkers: 0 }]));
const take = (phase, { ms, peakWorkers }) => {
  samples[phase].ms.push(...ms);
  samples[phase].peakWorkers = Math.max(samples[phase].peakWorkers, peakWorkers);
};
await quiet();
// A warm-up of the webhook, the link and the trigger. Not of the check queue: its workers are
// started by the first decisions, as a developer's stack starts them.
for (const phase of ["naive", "completions"]) await half(phase);
take("fresh", await half("mix"));
for (let repeat = 0; repeat < 2; repeat++) {
  for (const phase of ["mix", "completions", "naive"]) take(phase, await half(phase));
}

const rows = Object.fromEntries(
  PHASES.map((phase) => {
    const { ms, peakWorkers } = samples[phase];
    return [
      phase,
      {
        deliveries: ms.length,
        p50: round(median(ms)),
        mean: round(ms.reduce((sum, x) => sum + x, 0) / ms.length),
        p95: round(pct(ms, 0.95)),
        peakWorkers,
      },
    ];
  }),
);
const checkMaxConcurrent = local.localParams(stack.project).CHECK_MAX_CONCURRENT ?? "10";
const result = {
  checkMaxConcurrent: Number(checkMaxConcurrent),
  phases: rows,
  freshOverCompletions: round(rows.fresh.p50 / rows.completions.p50),
  mixOverCompletions: round(rows.mix.p50 / rows.completions.p50),
  mixOverNaive: round(rows.mix.p50 / rows.naive.p50),
  completionsOverNaive: round(rows.completions.p50 / rows.naive.p50),
  target: "p50 with decisions (fresh and warm) ≤ 1.5 × completions only",
};

console.log(
  `\n7. Acknowledgement through the whole local stack (Functions emulator, every function alive), ` +
    `sequential, CHECK_MAX_CONCURRENT=${checkMaxConcurrent}`,
);
const names = {
  fresh: "widgets, decisions, check workers starting",
  mix: "widgets, completions and decisions",
  completions: "widgets, completions only",
  naive: "(a) naive sample, served the same way",
};
console.table(PHASES.map((phase) => ({ handler: names[phase], ...rows[phase] })));
console.log(`p50 ratios, from this run; target: ${result.target}`);
console.table([
  {
    "fresh ÷ completions": result.freshOverCompletions,
    "mix ÷ completions": result.mixOverCompletions,
    "mix ÷ naive": result.mixOverNaive,
    "completions ÷ naive": result.completionsOverNaive,
  },
]);

const file = join(functionsDir, "bench-results.json");
const results = JSON.parse(readFileSync(file, "utf8"));
writeFileSync(file, `${JSON.stringify({ ...results, stack: result }, null, 2)}\n`);
console.log(`\nAdded them to functions/bench-results.json`);
process.exit(0);
