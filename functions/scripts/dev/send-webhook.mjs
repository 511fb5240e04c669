#!/usr/bin/env node
// Sends a test webhook encrypted exactly as Passbase does (base64 of IV + AES-256-CBC), to the
// local stack or to any URL. `npm run send-webhook -- --help` lists the options.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  PERSONA_SECRET_NAME,
  readLocalSecret,
  secretFile,
  STRIPE_SECRET_NAME,
} from "../emulators/local-secret.mjs";
import { fromBuild, localStack } from "../emulators/local-stack.mjs";

const HELP = `Usage: npm run send-webhook -- [options]          (Passbase)
       npm run send-webhook -- --provider stripe [options]  (Stripe Identity)
       npm run send-webhook -- --provider persona [options] (Persona)

  --event NAME       VERIFICATION_COMPLETED (default) or VERIFICATION_REVIEWED, or any other type
  --status STATUS    pending, approved or declined (default: pending for COMPLETED, else approved)
  --key UUID         the identity key (default: a random UUID)
  --secret SECRET    the webhook secret (default: the first key in functions/.secret.local)
  --url URL          where to POST (default: the local widgets/webhooks on the emulators)
  --plain            send plaintext JSON instead (needs PASSBASE_ALLOW_UNENCRYPTED and no secret)
  --scenario NAME    replay a sequence for one key: %SCENARIOS%
  --help             this text

With --provider stripe, signed as Stripe signs (the official package's test header, with
STRIPE_WEBHOOK_SECRET from functions/.secret.local unless --secret is given), to .../webhooks/stripe:
  --type TYPE        identity.verification_session.verified (default), .processing, .requires_input,
                     .canceled, .created, .redacted, or any other type
  --id vs_...        the VerificationSession (default: a random one); --key is taken too
  --status STATUS    the session's status (default: the one the type implies)
  --last-error CODE  the session's last_error.code (default: none; with requires_input: declined)
  --scenario NAME    replay one of Stripe's histories: %STRIPE_SCENARIOS%

With --provider persona, signed as Persona signs (HMAC-SHA256 of t.body, with
PERSONA_WEBHOOK_SECRET from functions/.secret.local unless --secret is given), to .../webhooks/persona:
  --type NAME        inquiry.approved (default), .declined, .completed, .failed, .expired, .started,
                     .created, .marked-for-review, .transitioned, .redacted, or any other name
  --id inq_...       the inquiry (default: a random one); --key is taken too
  --status STATUS    the inquiry's status (default: the one the name implies, else pending)
  --rotating         sign with two sets, as Persona does while a secret rotates (the first with a
                     made-up old secret)
  --scenario NAME    replay one of Persona's histories: %PERSONA_SCENARIOS%

Timestamps are the current time. Exits non-zero when any answer is not 2xx.`;

/**
 * Stripe's histories for one session: [type's last word, status, last_error.code, seconds, and
 * "second-object" (Stripe's second Event for one change) or "redelivery" (the same event again)].
 */
const stripeScenarios = {
  "fail-then-verified": [
    ["created", "requires_input", null, 0],
    ["processing", "processing", null, 60],
    ["requires_input", "requires_input", "selfie_face_mismatch", 90],
    ["processing", "processing", null, 200],
    ["verified", "verified", null, 230],
  ],
  "verified-then-override": [
    ["processing", "processing", null, 0],
    ["verified", "verified", null, 30],
    ["requires_input", "requires_input", "document_unverified_other", 600],
  ],
  duplicates: [
    ["processing", "processing", null, 0],
    ["verified", "verified", null, 30],
    ["verified", "verified", null, 30, "second-object"],
    ["verified", "verified", null, 30, "redelivery"],
  ],
  "out-of-order": [
    ["verified", "verified", null, 230],
    ["requires_input", "requires_input", "selfie_face_mismatch", 90],
    ["processing", "processing", null, 60],
  ],
};

/** Persona's histories for one inquiry (the tests replay the same ones). */
const personaScenarios = JSON.parse(
  readFileSync(new URL("./persona-histories.json", import.meta.url), "utf8"),
);
delete personaScenarios["//"];

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
    provider: { type: "string", default: "passbase" },
    type: { type: "string" },
    rotating: { type: "boolean", default: false },
    id: { type: "string" },
    "last-error": { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(
    HELP.replace("%SCENARIOS%", Object.keys(scenarios).join(", "))
      .replace("%STRIPE_SCENARIOS%", Object.keys(stripeScenarios).join(", "))
      .replace("%PERSONA_SCENARIOS%", Object.keys(personaScenarios).join(", ")),
  );
  process.exit(0);
}
if (values.provider === "stripe") process.exit((await sendStripe()) ? 0 : 1);
if (values.provider === "persona") process.exit((await sendPersona()) ? 0 : 1);
if (values.provider !== "passbase") {
  console.error(`Unknown provider ${values.provider}: passbase, stripe or persona`);
  process.exit(2);
}

/** A provider's random id: a prefix, an underscore and 24 hex digits. */
function randomId(prefix) {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
}

/**
 * Sends one provider's signed events for one verification: a scenario's, or one event. `event`
 * builds each step's event (a redelivery gets the previous one again), `sign` its header.
 */
async function sendSigned({ route, secretName, idPrefix, scenarios, single, event, sign }) {
  const secret = values.secret ?? readLocalSecret(secretName);
  if (!secret) {
    console.error(`No secret: pass --secret, or create ${secretFile} (npm start does).`);
    return false;
  }
  const url = values.url ?? `${localStack().webhookUrl}/${route}`;
  const id = values.id ?? values.key ?? randomId(idPrefix);
  const steps = values.scenario ? scenarios[values.scenario] : [single()];
  if (!steps) {
    console.error(`Unknown scenario ${values.scenario}: ${Object.keys(scenarios).join(", ")}`);
    return false;
  }
  console.log(`${idPrefix} ${id} → ${url}`);
  let ok = true;
  let previous;
  for (const step of steps) {
    const built = step.at(-1) === "redelivery" && previous ? previous : event(step, id);
    previous = built;
    const payload = JSON.stringify(built.body);
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(await sign(payload, secret)) },
      body: payload,
    });
    console.log(`${built.label} → ${res.status} ${await res.text()}`);
    ok &&= res.ok;
  }
  return ok;
}

/** Persona's events for one inquiry, signed as Persona signs them (one set per secret). */
function sendPersona() {
  const { signatureHeader } = fromBuild("providers", "persona", "signature.js");
  const t0 = Date.now() - 2 * 24 * 3600 * 1000;
  return sendSigned({
    route: "persona",
    secretName: PERSONA_SECRET_NAME,
    idPrefix: "inq",
    scenarios: personaScenarios,
    single() {
      const name = (values.type ?? "inquiry.approved").replace(/^inquiry\./, "");
      // The status the event puts the inquiry in; pending for a step, a redaction or a new name.
      const statuses = ["created", "completed", "failed", "expired", "approved", "declined"];
      const implied =
        { "marked-for-review": "needs_review" }[name] ??
        (statuses.includes(name) ? name : "pending");
      return [name, values.status ?? implied, 0];
    },
    event([name, status, seconds], id) {
      const at = new Date(t0 + seconds * 1000).toISOString();
      const inquiry = { type: "inquiry", id, attributes: { status, "created-at": at } };
      return {
        label: `inquiry.${name} ${status}`,
        body: {
          data: {
            type: "event",
            id: randomId("evt"),
            attributes: { name: `inquiry.${name}`, "created-at": at, payload: { data: inquiry } },
          },
        },
      };
    },
    sign: (payload, secret) => ({
      "Persona-Signature": signatureHeader(
        payload,
        values.rotating ? ["wbhsec_the_old_one", secret] : [secret],
        Math.floor(Date.now() / 1000),
      ),
    }),
  });
}

/** Stripe's events for one session, signed with the official package's test header. */
async function sendStripe() {
  const { default: Stripe } = await import("stripe");
  const now = Math.floor(Date.now() / 1000);
  return sendSigned({
    route: "stripe",
    secretName: STRIPE_SECRET_NAME,
    idPrefix: "vs",
    scenarios: stripeScenarios,
    single() {
      const last = (values.type ?? "identity.verification_session.verified").split(".").pop();
      const implied = ["requires_input", "processing", "verified", "canceled"].includes(last)
        ? last
        : "requires_input";
      return [last, values.status ?? implied, values["last-error"] ?? null, 0];
    },
    event([name, status, lastError, at], id) {
      const type =
        values.scenario || !values.type ? `identity.verification_session.${name}` : values.type;
      return {
        label: `${type} ${status}`,
        body: {
          id: randomId("evt"),
          object: "event",
          type,
          created: now - 3600 + at,
          livemode: false,
          data: {
            object: {
              id,
              object: "identity.verification_session",
              status,
              type: "document",
              livemode: false,
              last_error: lastError ? { code: lastError, reason: "a test failure" } : null,
              redaction: null,
            },
          },
        },
      };
    },
    sign: (payload, secret) => ({
      "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
    }),
  });
}

// The receiver's own encryption helper (tested against openssl vectors).
const { encryptPayload } = fromBuild("providers", "passbase", "crypto.js");

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
