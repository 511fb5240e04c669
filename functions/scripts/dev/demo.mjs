#!/usr/bin/env node
// Walks through the whole loop on the running local stack (`npm start`): a user signs up in the
// Auth emulator, links a Passbase key through linkVerification, both webhooks arrive, and the
// trigger carries the decision to the user's record and custom claim.
// With `-- --provider stripe`: the user starts a Stripe Identity session (startVerification),
// Stripe's webhooks for a failed attempt and a verified retry arrive, and the same follows.
// With `-- --provider persona`: the user starts a Persona inquiry (startVerification), Persona's
// events for a completed then approved inquiry arrive, and the same follows.
// With `-- --provider veriff`: the user starts a Veriff session (startVerification), Veriff's
// webhooks for a resubmission request and an approved second attempt arrive, and the same follows.
// With `-- --provider sumsub`: the user gets a Sumsub applicant and a Web SDK access token
// (startVerification), Sumsub's webhooks for a GREEN review arrive, and the same follows.
// With `-- --provider onfido`: the user gets an Onfido workflow run (startVerification), Onfido's
// events for a run in review, then approved, arrive, and the same follows.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { functionsDir, localAppCheckToken, localStack, signUp } from "../emulators/local-stack.mjs";
import { TOOLS, toolsOf } from "./tools.mjs";

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "passbase" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run demo -- [--provider ${TOOLS.map((t) => t.id).join("|")}]

Walks through the whole loop on the running local stack (npm start): a user signs up, the
verification is started or linked, the provider's webhooks arrive, and the decision reaches the
user's record and claim. --provider picks the provider (default: passbase).`);
  process.exit(0);
}

const stack = localStack();
// Point the Admin SDK at the emulators before it starts.
process.env.FIRESTORE_EMULATOR_HOST = stack.firestore;
process.env.FIREBASE_AUTH_EMULATOR_HOST = stack.auth;
process.env.METADATA_SERVER_DETECTION = "none";
const { initializeApp } = await import("firebase-admin/app");
const { getAuth } = await import("firebase-admin/auth");
const { getFirestore } = await import("firebase-admin/firestore");

const step = (text) => console.log(`\n▶ ${text}`);
const fail = (text) => {
  console.error(`\n✗ ${text}`);
  process.exit(1);
};

const ready = await fetch(stack.webhookUrl).catch(() => undefined);
if (ready?.status !== 405) fail("The local stack is not running: start it with `npm start`.");

initializeApp({ projectId: stack.project });
const auth = getAuth();
const db = getFirestore();

step("A user signs up (Auth emulator)");
const { uid, idToken } = await signUp(auth, stack, "demo");
console.log(`  uid ${uid}`);

const call = (name, data) =>
  fetch(`${stack.functionsBase}/${name}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${idToken}`,
      // The local stack enforces App Check (APP_CHECK=enforce), as an app that turns it on.
      "X-Firebase-AppCheck": localAppCheckToken(),
    },
    body: JSON.stringify({ data }),
  });
const sendWebhooks = (...args) =>
  spawnSync(process.execPath, [join(functionsDir, "scripts", "dev", "send-webhook.mjs"), ...args], {
    stdio: "inherit",
  });

/** The app starts a verification (startVerification), then the provider's webhooks arrive. */
async function startThenSend(provider, { what, after, scenario, events }) {
  step(`The app starts ${what} for the user (startVerification)`);
  const started = await call("startVerification", { provider });
  const { result } = await started.json();
  if (!started.ok || !result?.id) fail(`startVerification answered ${started.status}.`);
  console.log(`  → ${result.id}, ${after}`);
  step(events);
  const sender = sendWebhooks("--provider", provider, "--scenario", scenario, "--id", result.id);
  if (sender.status !== 0) fail("A webhook was not accepted.");
  return result.id;
}

const tools = toolsOf(values.provider);
if (!tools) fail(`Unknown provider ${values.provider}: ${TOOLS.map((t) => t.id).join(", ")}`);
// A provider whose user links the verification runs its own path; the others start one.
const key = tools.demo.run
  ? await tools.demo.run({ step, fail, call, sendWebhooks })
  : await startThenSend(tools.id, tools.demo);

step("The trigger carries the decision to the user; the check queue fetches the details");
let user;
let claims;
for (let i = 0; i < 100; i++) {
  user = (await db.collection("users").doc(uid).get()).data();
  claims = (await auth.getUser(uid)).customClaims;
  const details = (await db.collection("verifications").doc(key).get()).get("identity.fetchedAt");
  if (user?.verification?.status === "approved" && claims?.identityVerified === true && details) {
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const verification = (await db.collection("verifications").doc(key).get()).data();
const show = (data) =>
  JSON.stringify(
    data,
    (_k, v) => (v && typeof v.toDate === "function" ? v.toDate().toISOString() : v),
    2,
  ).replace(/^/gm, "  ");
console.log(`\n  verifications/${key}\n${show(verification)}`);
console.log(`\n  users/${uid}\n${show(user)}`);
console.log(`\n  custom claims\n${show(claims)}`);
if (user?.verification?.status !== "approved" || claims?.identityVerified !== true) {
  fail("The user record or the claim did not reach the decision within 20 s.");
}
if (!verification?.identity?.fetchedAt) {
  fail("The identity details were not fetched within 20 s.");
}
console.log("\n✓ identityVerified: true — the whole loop works.");
process.exit(0);
