// Passbase on the local tools: its API stand-in, its encrypted sender and scenarios, and the
// demo's path (linkVerification, then COMPLETED and REVIEWED).
import { randomUUID } from "node:crypto";
import person from "../../../scripts/dev/person.cjs";
import { readEmulatorDocument, fromBuild } from "../../../scripts/emulators/local-stack.mjs";
import local from "../../../scripts/emulators/local.cjs";

const { PERSON } = person;

const { readLocalSecret, secretFile } = local;

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
  // The local page's outcomes: the user finished the flow, then Passbase's review.
  "page-approve": [
    [["VERIFICATION_COMPLETED", "pending", 0]],
    [["VERIFICATION_REVIEWED", "approved", 60]],
  ],
  "page-decline": [
    [["VERIFICATION_COMPLETED", "pending", 0]],
    [["VERIFICATION_REVIEWED", "declined", 60]],
  ],
};

export default {
  id: "passbase",
  name: "Passbase",
  webhookSecret: "PASSBASE_WEBHOOK_SECRET",
  apiKey: "PASSBASE_SECRET_API_KEY",
  localSecrets: {
    PASSBASE_WEBHOOK_SECRET: {
      make: (random) => random(),
      what: "a random 32-character webhook secret",
    },
    PASSBASE_SECRET_API_KEY: {
      make: (random) => `local-stand-in-${random()}`,
      what: "the key of the local stand-in for Passbase's API",
    },
  },

  /**
   * Passbase's Verification API: `GET /verification/v1/identities/{id}` with `X-API-KEY`, the
   * local key, or 401. Unprogrammed identities are answered from the Firestore emulator under
   * `npm start` (an identity whose status is the verification's, with the kind of personal data a
   * real one has, so that minimisation can be seen), else as a local page's outcome left them,
   * and 404 otherwise.
   */
  standIn({ key, programmed, reply, record, recorded, firestore, project }) {
    /** An identity with this status, with the kind of personal data a real one has. */
    const identity = (id, status, created = null, updated = null) => ({
      status: 200,
      body: {
        id,
        status,
        score: 0.93,
        created,
        updated,
        owner: { email: "jane.doe@example.com", first_name: "Jane", last_name: "Doe" },
        resources: [
          {
            type: "PASSPORT",
            datapoints: {
              document_number: PERSON.documentNumber,
              date_of_birth: "1990-02-14",
              date_of_expiry: PERSON.documentExpiresOn,
              document_origin_country: "DEU",
              first_names: PERSON.givenName,
              last_name: PERSON.familyName,
            },
          },
        ],
        metadata: null,
        watchlist: { clean: true },
      },
    });
    /** Under `npm start`, as the verification in Firestore is; else as a local page left it. */
    async function lookup(id) {
      const fields =
        firestore && (await readEmulatorDocument(firestore, project, `verifications/${id}`));
      if (fields) {
        const seconds = (name) =>
          fields[name] ? Date.parse(fields[name].timestampValue) / 1000 : null;
        const status = fields.status?.stringValue ?? "processing";
        return identity(id, status, seconds("created"), seconds("updated"));
      }
      const left = await recorded(id);
      return left
        ? identity(id, left.status)
        : { status: 404, body: { message: "Identity not found" } };
    }
    return async (req, _body, url, json, res) => {
      const match = /^\/verification\/v1\/identities\/([^/]+)$/.exec(url.pathname);
      if (!match || req.method !== "GET") return undefined;
      const id = match[1];
      record(id, { headers: req.headers });
      if (req.headers["x-api-key"] !== key) return json(401, { message: "Unauthorized" });
      const answer = programmed(id) ?? (await lookup(id));
      return reply(answer, res);
    };
  },

  /**
   * The local page: each outcome's scenario and the identity's status it leaves. Passbase's
   * client SDK creates the identity, so the page mints its key, and hands it back to the app as
   * the SDK's onFinish would: in the return URL's fragment, with the app's `state`.
   */
  page: {
    outcomes: {
      approve: { scenario: "page-approve", leaves: { status: "approved" } },
      decline: { scenario: "page-decline", leaves: { status: "declined" } },
    },
    mint: () => randomUUID(),
    back: (id, query) =>
      `#${new URLSearchParams({ "passbase-key": id, state: query.get("state") ?? "" })}`,
  },

  /** The bench's params for it: its route is `real`, which the baselines are measured against. */
  bench: {
    env: {
      PASSBASE_WEBHOOK_SECRET: "0123456789abcdef0123456789abcdef",
      PASSBASE_ALLOW_UNENCRYPTED: "false",
      PASSBASE_SECRET_API_KEY: "bench",
      PASSBASE_STORE_OWNER: "false",
      PASSBASE_METADATA_UID_FIELD: "uid",
    },
  },

  sender: {
    help: `Passbase (the default), encrypted exactly as Passbase does (base64 of IV + AES-256-CBC):
  --event NAME       VERIFICATION_COMPLETED (default) or VERIFICATION_REVIEWED, or any other type
  --status STATUS    pending, approved or declined (default: pending for COMPLETED, else approved)
  --key UUID         the identity key (default: a random UUID)
  --plain            send plaintext JSON instead (needs PASSBASE_ALLOW_UNENCRYPTED and no secret)
  --scenario NAME    replay a sequence for one key: ${Object.keys(scenarios).join(", ")}`,
    options: {
      event: { type: "string", default: "VERIFICATION_COMPLETED" },
      plain: { type: "boolean", default: false },
    },
    async send(values, { webhookUrl }) {
      // The receiver's own encryption helper (tested against openssl vectors).
      const { encryptPayload } = fromBuild("providers", "passbase", "crypto.js");
      const secret = values.plain
        ? undefined
        : (values.secret ?? readLocalSecret("PASSBASE_WEBHOOK_SECRET")?.split("\n")[0]);
      if (!values.plain && !secret) {
        console.error(`No secret: pass --secret, or create ${secretFile} (npm start does).`);
        return false;
      }
      const url = values.url ?? webhookUrl("/webhooks");
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
      const send = async (body) => {
        const text = JSON.stringify(body);
        const res = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": values.plain ? "application/json" : "text/plain" },
          body: values.plain ? text : encryptPayload(text, Buffer.from(secret, "utf8")),
        });
        console.log(`${body.event} ${body.status ?? ""} → ${res.status} ${await res.text()}`);
        return res.ok;
      };
      let steps;
      if (values.scenario) {
        steps = scenarios[values.scenario];
        if (!steps) {
          console.error(
            `Unknown scenario ${values.scenario}: ${Object.keys(scenarios).join(", ")}`,
          );
          return false;
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
      return ok;
    },
  },

  demo: {
    /** The user links the key the client SDK handed the app; then Passbase's two webhooks. */
    async run({ step, fail, call, sendWebhooks }) {
      const key = randomUUID();
      step(`The app links Passbase key ${key} to the user (linkVerification)`);
      const linked = await call("linkVerification", { key });
      console.log(`  → ${linked.status} ${await linked.text()}`);
      if (!linked.ok) fail("linkVerification refused the link.");
      step("Passbase sends VERIFICATION_COMPLETED, then VERIFICATION_REVIEWED (approved)");
      const sender = sendWebhooks("--scenario", "completed-then-reviewed", "--key", key);
      if (sender.status !== 0) fail("A webhook was not accepted.");
      return key;
    },
  },
};
