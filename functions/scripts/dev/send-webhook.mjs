#!/usr/bin/env node
// Sends test webhooks exactly as each provider does (Passbase's encrypted, Stripe's and Persona's
// signed), to the local stack or to any URL. Each provider's sender and scenarios live in its
// module under providers/. `npm run send-webhook -- --help` lists the options.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { readLocalSecret, secretFile } from "../emulators/local-secret.mjs";
import { localStack } from "../emulators/local-stack.mjs";
import { TOOLS, toolsOf } from "./tools.mjs";
import { postSteps } from "./signed-steps.mjs";

const HELP = `Usage: npm run send-webhook -- [--provider ${TOOLS.map((t) => t.id).join("|")}] [options]

  --provider ID      which provider sends (default: passbase)
  --secret SECRET    the webhook secret (default: the provider's in functions/.secret.local)
  --url URL          where to POST (default: the provider's route on the local emulators)
  --instance ID      a kit instance's route instead (kit-ID-widgets), on the same emulators
  --status STATUS    the status the event carries
  --key ID           the verification (default: a random one)
  --scenario NAME    replay a sequence for one verification (below)
  --help             this text

${TOOLS.map((tools) => tools.sender.help).join("\n\n")}

Timestamps are the current time. Exits non-zero when any answer is not 2xx.`;

const { values } = parseArgs({
  options: {
    provider: { type: "string", default: "passbase" },
    secret: { type: "string" },
    url: { type: "string" },
    instance: { type: "string" },
    status: { type: "string" },
    key: { type: "string" },
    id: { type: "string" },
    type: { type: "string" },
    scenario: { type: "string" },
    help: { type: "boolean", default: false },
    ...Object.assign({}, ...TOOLS.map((tools) => tools.sender.options)),
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const tools = toolsOf(values.provider);
if (!tools) {
  console.error(`Unknown provider ${values.provider}: ${TOOLS.map((t) => t.id).join(", ")}`);
  process.exit(2);
}

/** A provider's random id: a prefix, an underscore and 24 hex digits. */
const randomId = (prefix) => `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 24)}`;
const widgets = values.instance ? `kit-${values.instance}-widgets` : "widgets";
const webhookUrl = (path) => `${localStack().functionsBase}/${widgets}${path}`;

/**
 * Sends one provider's signed events for one verification: a scenario's, or one event. `event`
 * builds each step's event (a redelivery gets the previous one again), `sign` its header.
 */
async function sendSigned({ route, secretName, idPrefix, newId, scenarios, single, event, sign }) {
  const secret = values.secret ?? readLocalSecret(secretName);
  if (!secret) {
    console.error(`No secret: pass --secret, or create ${secretFile} (npm start does).`);
    return false;
  }
  const url = values.url ?? webhookUrl(route);
  const id = values.id ?? values.key ?? (newId ? newId() : randomId(idPrefix));
  const steps = values.scenario ? scenarios[values.scenario] : [single()];
  if (!steps) {
    console.error(`Unknown scenario ${values.scenario}: ${Object.keys(scenarios).join(", ")}`);
    return false;
  }
  console.log(`${idPrefix} ${id} → ${url}`);
  return postSteps({ url, secret, id, steps, event, sign, log: console.log });
}

process.exit((await tools.sender.send(values, { sendSigned, randomId, webhookUrl })) ? 0 : 1);
