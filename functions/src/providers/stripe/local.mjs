// Stripe Identity on the local tools: its API stand-in, its signed sender and histories, and the
// demo's path (startVerification, then a failed attempt and a verified retry).
import { createRequire } from "node:module";
import { randomBytes, randomUUID } from "node:crypto";
import person from "../../../scripts/dev/person.cjs";

const { PERSON } = person;
const [expiryYear, expiryMonth, expiryDay] = PERSON.documentExpiresOn.split("-").map(Number);

/**
 * A session with what `expand[]` asked for, as Stripe answers it: the verified outputs and the
 * last report's document, the sensitive fields (date of birth, expiry, number) only when named;
 * a redacted session's placeholders. `refused`: the key may not read sensitive results.
 */
function expanded(session, expand) {
  const redacted = session.redaction != null;
  const text = (value) => (redacted ? "[redacted]" : value);
  const dob = redacted ? { day: 1, month: 1, year: 1 } : PERSON.birthDate;
  const named = (field) => expand.includes(field);
  const outputs = {
    first_name: text(PERSON.givenName),
    last_name: text(PERSON.familyName),
    address: null,
    ...(named("verified_outputs.dob") ? { dob } : {}),
  };
  const document = {
    status: "verified",
    type: "passport",
    issuing_country: "DE",
    first_name: text(PERSON.givenName),
    last_name: text(PERSON.familyName),
    dob: named("last_verification_report.document.dob") ? dob : null,
    number: named("last_verification_report.document.number") ? text(PERSON.documentNumber) : null,
    expiration_date: named("last_verification_report.document.expiration_date")
      ? redacted
        ? { day: 1, month: 1, year: 1 }
        : { day: expiryDay, month: expiryMonth, year: expiryYear }
      : null,
  };
  const report = {
    id: `vr_${session.id.slice(3)}`,
    object: "identity.verification_report",
    document,
  };
  return {
    ...session,
    ...(expand.some((field) => field.startsWith("verified_outputs"))
      ? { verified_outputs: outputs }
      : {}),
    ...(expand.some((field) => field.startsWith("last_verification_report"))
      ? { last_verification_report: report }
      : {}),
  };
}

/** Stripe's answer to a key without the permission a sensitive field needs. */
const PERMISSION_ERROR = {
  error: {
    type: "invalid_request_error",
    message:
      "The provided key does not have the required permissions for this endpoint. Having the " +
      "'rak_identity_verification_session_sensitive_read' permission would allow this request to continue.",
  },
};

/** Stripe's histories for one session: [type's last word, status, last_error.code, seconds, and
 * "second-object" (Stripe's second Event for one change) or "redelivery" (the same event again)]. */
const scenarios = {
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
  // The local page's outcomes, each later than the one before (a retry, then an approval).
  "page-retry": [
    ["processing", "processing", null, 100],
    ["requires_input", "requires_input", "selfie_face_mismatch", 130],
  ],
  "page-approve": [
    ["processing", "processing", null, 200],
    ["verified", "verified", null, 230],
  ],
  "page-abandon": [["canceled", "canceled", null, 300]],
};

/** The bench's webhook secret (scripts/bench/bench.mjs). */
const BENCH_SECRET = "whsec_bench_secret";

export default {
  id: "stripe",
  name: "Stripe",
  webhookSecret: "STRIPE_WEBHOOK_SECRET",
  apiKey: "STRIPE_SECRET_KEY",
  /** Random local values for its secrets, and what each is. */
  localSecrets: {
    STRIPE_WEBHOOK_SECRET: {
      make: (random) => `whsec_local${random()}`,
      what: "a random signing secret for the Stripe webhook route",
    },
    STRIPE_SECRET_KEY: {
      make: (random) => `rk_test_local${random()}`,
      what: "the key of the local stand-in for Stripe's API",
    },
  },

  /**
   * Stripe's API: sessions are created here, in requires_input, and kept; a redaction (POST
   * …/{id}/redact) is refused while one is processing. `Authorization: Bearer` must be the local
   * STRIPE_SECRET_KEY, or 401, as Stripe answers.
   */
  standIn({
    key,
    programmed,
    programmedErasure,
    programmedFacts,
    peekProgrammed,
    reply,
    record,
    requests,
    recorded,
    pageUrl,
  }) {
    const sessions = new Map();
    const byIdempotencyKey = new Map();
    const asRecorded = async (session) => {
      const seen = await recorded(session.id);
      if (!seen) return session;
      return {
        ...session,
        status: seen.status,
        last_error: seen.code ? { code: seen.code, reason: "…" } : null,
      };
    };
    return async (req, body, url, json, res) => {
      if (!url.pathname.startsWith("/v1/identity/")) return undefined;
      if (req.headers.authorization !== `Bearer ${key}`) {
        return json(401, { error: { type: "invalid_request_error", message: "Invalid API Key" } });
      }
      if (url.pathname === "/v1/identity/verification_sessions" && req.method === "POST") {
        const idempotency = req.headers["idempotency-key"];
        const existing = idempotency && byIdempotencyKey.get(idempotency);
        if (existing) return json(200, sessions.get(existing));
        const form = new URLSearchParams(body);
        const id = `vs_${randomBytes(12).toString("hex")}`;
        const session = {
          id,
          object: "identity.verification_session",
          status: "requires_input",
          type: form.get("type") ?? "document",
          livemode: false,
          created: Math.floor(Date.now() / 1000),
          client_reference_id: form.get("client_reference_id"),
          metadata: { firebase_uid: form.get("metadata[firebase_uid]") },
          last_error: null,
          redaction: null,
          client_secret: `${id}_secret_${randomBytes(12).toString("hex")}`,
          url: pageUrl("stripe", id),
        };
        sessions.set(id, session);
        if (idempotency) byIdempotencyKey.set(idempotency, id);
        requests.set(id, [{ headers: req.headers, form: Object.fromEntries(form) }]);
        return json(200, session);
      }
      const redact = /^\/v1\/identity\/verification_sessions\/([^/]+)\/redact$/.exec(url.pathname);
      if (redact && req.method === "POST") {
        // Stripe redacts a session that is not processing: it cancels one that needs input.
        const id = redact[1];
        record(id, { headers: req.headers, erase: true });
        const answer = programmedErasure(id);
        if (answer) return reply(answer, res);
        const session = sessions.get(id);
        if (!session) {
          return json(404, {
            error: { type: "invalid_request_error", message: "No such session" },
          });
        }
        const now = await asRecorded(session);
        if (now.status === "processing") {
          return json(400, {
            error: { type: "invalid_request_error", message: "The session is processing." },
          });
        }
        session.status = now.status === "requires_input" ? "canceled" : now.status;
        session.redaction = { status: "processing" };
        return json(200, session);
      }
      const match = /^\/v1\/identity\/verification_sessions\/([^/]+)$/.exec(url.pathname);
      if (!match || req.method !== "GET") return undefined;
      const id = match[1];
      // The official client sends `expand[0]=…`; curl's examples `expand[]=…`.
      const expand = [...url.searchParams]
        .filter(([name]) => name.startsWith("expand["))
        .map(([, value]) => value);
      record(id, { headers: req.headers, ...(expand.length ? { expand } : {}) });
      if (expand.length) {
        const facts = programmedFacts(id);
        if (facts) return reply(facts, res);
        // Sensitive results need a restricted key with that permission: a secret key is refused.
        const sensitive = expand.some((field) => /\.(dob|number|expiration_date)$/.test(field));
        if (sensitive && !key.startsWith("rk_")) return json(403, PERMISSION_ERROR);
      }
      // A read of the facts sees the session as programmed for lookups, without taking its turn.
      const answer = expand.length ? peekProgrammed(id) : programmed(id);
      if (answer && !(expand.length && answer.status === 200)) return reply(answer, res);
      const session = answer?.body ?? sessions.get(id);
      if (!session) {
        return json(404, { error: { type: "invalid_request_error", message: "No such session" } });
      }
      const now = answer ? session : await asRecorded(session);
      return json(200, expand.length ? expanded(now, expand) : now);
    };
  },

  /** What the local stack's smoke test sends: one event that decides, then each history. */
  smoke: {
    newId: () => `vs_smoke${randomUUID().replaceAll("-", "").slice(0, 16)}`,
    event: ["--type", "identity.verification_session.verified"],
    scenarios: ["fail-then-verified", "verified-then-override", "duplicates", "out-of-order"],
  },

  /** The bench's row: its params, and a signed session event about a new session at `now` (s). */
  bench: {
    env: { STRIPE_WEBHOOK_SECRET: BENCH_SECRET, STRIPE_SECRET_KEY: "" },
    delivery(now) {
      const id = randomUUID().replaceAll("-", "");
      const payload = JSON.stringify({
        id: `evt_${id}`,
        object: "event",
        type: "identity.verification_session.processing",
        created: now,
        livemode: false,
        data: {
          object: { id: `vs_${id}`, object: "identity.verification_session", status: "processing" },
        },
      });
      const Stripe = createRequire(import.meta.url)("stripe");
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: BENCH_SECRET });
      return {
        body: payload,
        headers: { "Content-Type": "application/json", "Stripe-Signature": signature },
      };
    },
  },

  /** What its suites send and its stand-in returns, which no log line may hold. */
  logNeedles: [
    ["a Stripe client secret", "_secret_"],
    ["a Stripe placeholder", "[redacted]"],
    ["a Stripe event's personal data", "selfie did not match"],
  ],

  sender: {
    help: `With --provider stripe, signed as Stripe signs (the official package's test header, with
STRIPE_WEBHOOK_SECRET from functions/.secret.local unless --secret is given), to .../webhooks/stripe:
  --type TYPE        identity.verification_session.verified (default), .processing, .requires_input,
                     .canceled, .created, .redacted, or any other type
  --id vs_...        the VerificationSession (default: a random one); --key is taken too
  --status STATUS    the session's status (default: the one the type implies)
  --last-error CODE  the session's last_error.code (default: none; with requires_input: declined)
  --scenario NAME    replay one of Stripe's histories: ${Object.keys(scenarios).join(", ")}`,
    options: { "last-error": { type: "string" } },
    /** Stripe's events for one session, signed with the official package's test header. */
    async send(values, { sendSigned, randomId }) {
      const { default: Stripe } = await import("stripe");
      const now = Math.floor(Date.now() / 1000);
      return sendSigned({
        route: "/webhooks/stripe",
        secretName: "STRIPE_WEBHOOK_SECRET",
        idPrefix: "vs",
        scenarios,
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
    },
  },

  /**
   * The local page: each outcome's scenario, and the session it leaves (what the API then
   * answers). Stripe has no final decline: a failed check can be retried in the session.
   */
  page: {
    outcomes: {
      approve: { scenario: "page-approve", leaves: { status: "verified" } },
      retry: {
        scenario: "page-retry",
        leaves: { status: "requires_input", code: "selfie_face_mismatch" },
      },
      abandon: { scenario: "page-abandon", leaves: { status: "canceled" } },
    },
  },

  demo: {
    what: "a Stripe Identity session",
    // The client secret opens Stripe.js's modal and the URL Stripe's page: for the app, not the logs.
    after: "linked to the user; a client secret and a URL for the app",
    scenario: "fail-then-verified",
    events: "Stripe sends the session's events: a failed attempt, a retry, verified",
  },
};
