// Persona on the local tools: its API stand-in, its signed sender and histories (which the tests
// replay too), and the demo's path (startVerification, then a completed and approved inquiry).
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { fromBuild } from "../../../scripts/emulators/local-stack.mjs";
import person from "../../../scripts/dev/person.cjs";

const { PERSON } = person;

/** Persona's histories for one inquiry (the tests replay the same ones). */
const scenarios = JSON.parse(
  readFileSync(new URL("./persona-histories.json", import.meta.url), "utf8"),
);
delete scenarios["//"];
// The local page's outcomes, each later than the one before.
Object.assign(scenarios, {
  "page-decline": [
    ["started", "pending", 100],
    ["completed", "completed", 160],
    ["declined", "declined", 200],
  ],
  "page-approve": [
    ["started", "pending", 300],
    ["completed", "completed", 360],
    ["approved", "approved", 400],
  ],
  "page-abandon": [["expired", "expired", 500]],
});

/** The bench's webhook secret (scripts/bench/bench.mjs). */
const BENCH_SECRET = "wbhsec_bench_secret";

/**
 * The government-ID verification Persona ran for an inquiry, about the planted person: every
 * attribute, as Persona answers without sparse fieldsets; redacted with its inquiry.
 */
function governmentId(inquiry) {
  const redacted = inquiry.attributes?.["redacted-at"] != null;
  const value = (text) => (redacted ? null : text);
  return {
    type: "verification/government-id",
    id: `ver_${String(inquiry.id).slice(4)}`,
    attributes: {
      status: "passed",
      "completed-at": "2026-01-01T00:00:00.000Z",
      "name-first": value(PERSON.givenName),
      "name-last": value(PERSON.familyName),
      birthdate: value("1990-02-14"),
      "identification-number": value(PERSON.documentNumber),
      "expiration-date": value(PERSON.documentExpiresOn),
      "country-code": "DE",
      "id-class": "pp",
    },
  };
}

export default {
  id: "persona",
  name: "Persona",
  webhookSecret: "PERSONA_WEBHOOK_SECRET",
  apiKey: "PERSONA_API_KEY",
  localSecrets: {
    PERSONA_WEBHOOK_SECRET: {
      make: (random) => `wbhsec_local${random()}`,
      what: "a random secret for the Persona webhook route",
    },
    PERSONA_API_KEY: {
      make: (random) => `persona_sandbox_local${random()}`,
      what: "the key of the local stand-in for Persona's API",
    },
  },

  /**
   * Persona's API: inquiries are created here, in created, with personal data once "filled".
   *   POST /api/v1/inquiries              creates an inquiry; the same Idempotency-Key gives it back
   *   POST /api/v1/inquiries/{id}/resume  created, pending or expired: pending, with a
   *                                       meta.session-token; anything else 422
   *   GET  /api/v1/inquiries/{id}         the inquiry (only the attributes fields[inquiry] names,
   *                                       as Persona's sparse fieldsets), or the answers programmed
   *   DELETE /api/v1/inquiries/{id}       redacts it
   * `Authorization: Bearer` must be the local PERSONA_API_KEY, or 401.
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
  }) {
    const inquiries = new Map();
    const byIdempotencyKey = new Map();
    const resource = (inquiry, meta) => ({ data: inquiry, ...(meta ? { meta } : {}) });
    const asRecorded = async (inquiry) => {
      const seen = await recorded(inquiry.id);
      return seen
        ? { ...inquiry, attributes: { ...inquiry.attributes, status: seen.status } }
        : inquiry;
    };
    return async (req, body, url, json, res) => {
      if (!url.pathname.startsWith("/api/v1/inquiries")) return undefined;
      if (req.headers.authorization !== `Bearer ${key}`) {
        return json(401, { errors: [{ title: "Must be authenticated to access this endpoint" }] });
      }
      if (url.pathname === "/api/v1/inquiries" && req.method === "POST") {
        const idempotency = req.headers["idempotency-key"];
        const existing = idempotency && byIdempotencyKey.get(idempotency);
        if (existing) return json(201, resource(inquiries.get(existing)));
        const sent = JSON.parse(body || "{}");
        const id = `inq_${randomBytes(12).toString("hex")}`;
        const at = new Date().toISOString();
        const inquiry = {
          type: "inquiry",
          id,
          attributes: {
            status: "created",
            "reference-id": sent.meta?.["auto-create-account-reference-id"] ?? null,
            "name-first": "Jane",
            "name-last": "Doe",
            birthdate: "1990-01-01",
            "created-at": at,
            "decisioned-at": null,
            "redacted-at": null,
          },
          relationships: {
            "inquiry-template": {
              data: {
                type: "inquiry-template",
                id: sent.data?.attributes?.["inquiry-template-id"],
              },
            },
          },
        };
        inquiries.set(id, inquiry);
        if (idempotency) byIdempotencyKey.set(idempotency, id);
        requests.set(id, [{ headers: req.headers, body: sent }]);
        return json(201, resource(inquiry));
      }
      const match = /^\/api\/v1\/inquiries\/([^/]+)(\/resume)?$/.exec(url.pathname);
      if (!match) return undefined;
      const [, id, resume] = match;
      if (!resume && req.method === "DELETE") {
        // A redaction: the status stays, the personal data goes.
        record(id, { headers: req.headers, erase: true });
        const answer = programmedErasure(id);
        if (answer) return reply(answer, res);
        const known = inquiries.get(id);
        if (!known) return json(404, { errors: [{ title: "Record not found" }] });
        Object.assign(known.attributes, {
          "name-first": null,
          "name-last": null,
          birthdate: null,
          "redacted-at": new Date().toISOString(),
        });
        return json(200, resource(known));
      }
      record(id, { headers: req.headers, url: url.pathname + url.search });
      if (!resume && req.method === "GET" && url.searchParams.get("include") === "verifications") {
        const facts = programmedFacts(id);
        if (facts) return reply(facts, res);
        // The inquiry as its lookups see it (without taking their turn), with what it verified.
        const programmedInquiry = peekProgrammed(id);
        if (programmedInquiry && programmedInquiry.status !== 200) {
          return reply(programmedInquiry, res);
        }
        const inquiry = programmedInquiry?.body?.data ?? inquiries.get(id);
        if (!inquiry) return json(404, { errors: [{ title: "Record not found" }] });
        return json(200, { data: inquiry, included: [governmentId(inquiry)] });
      }
      const answer = resume ? undefined : programmed(id);
      if (answer) return reply(answer, res);
      const known = inquiries.get(id);
      if (!known) return json(404, { errors: [{ title: "Record not found" }] });
      const inquiry = await asRecorded(known);
      if (resume && req.method === "POST") {
        if (!["created", "pending", "expired"].includes(inquiry.attributes.status)) {
          return json(422, { errors: [{ title: "Inquiry cannot be resumed" }] });
        }
        known.attributes.status = "pending";
        const token = `sess_${randomBytes(12).toString("hex")}`;
        return json(200, resource(known, { "session-token": token }));
      }
      if (req.method !== "GET") return undefined;
      // Sparse fieldsets: only the attributes asked for (relationships are kept).
      const fields = url.searchParams.get("fields[inquiry]")?.split(",");
      const attributes = fields
        ? Object.fromEntries(Object.entries(inquiry.attributes).filter(([k]) => fields.includes(k)))
        : inquiry.attributes;
      return json(200, resource({ ...inquiry, attributes }));
    };
  },

  /**
   * The local page: each outcome's scenario, and the inquiry it leaves. Persona lets a user resume
   * an expired inquiry, not a declined one: no "try again" outcome.
   */
  page: {
    outcomes: {
      approve: { scenario: "page-approve", leaves: { status: "approved" } },
      decline: { scenario: "page-decline", leaves: { status: "declined" } },
      abandon: { scenario: "page-abandon", leaves: { status: "expired" } },
    },
  },

  /** What the local stack's smoke test sends: one event that decides, then each history. */
  smoke: {
    newId: () => `inq_smoke${randomUUID().replaceAll("-", "").slice(0, 16)}`,
    event: ["--type", "inquiry.approved", "--rotating"],
    scenarios: [
      "completed-then-approved",
      "failed-then-manual-approval",
      "expired-then-resumed",
      "review-then-declined",
      "duplicates",
      "out-of-order",
    ],
  },

  /** The bench's row: its params, and a signed inquiry event about a new inquiry at `now` (s). */
  bench: {
    env: {
      PERSONA_WEBHOOK_SECRET: BENCH_SECRET,
      PERSONA_API_KEY: "",
      PERSONA_SIGNATURE_TOLERANCE_SECONDS: "600",
      PERSONA_COMPLETED_MEANS: "pending",
    },
    delivery(now) {
      const id = randomUUID().replaceAll("-", "");
      const payload = JSON.stringify({
        data: {
          type: "event",
          id: `evt_${id}`,
          attributes: {
            name: "inquiry.started",
            "created-at": new Date(now * 1000).toISOString(),
            payload: {
              data: { type: "inquiry", id: `inq_${id}`, attributes: { status: "pending" } },
            },
          },
        },
      });
      const { signatureHeader } = fromBuild("providers", "persona", "signature.js");
      return {
        body: payload,
        headers: {
          "Content-Type": "application/json",
          "Persona-Signature": signatureHeader(payload, [BENCH_SECRET], now),
        },
      };
    },
  },

  /** What its suites send and its stand-in returns, which no log line may hold. */
  logNeedles: [
    ["a Persona session token", "sess_"],
    ["a Persona event's e-mail address", "jane@example.com"],
  ],

  sender: {
    help: `With --provider persona, signed as Persona signs (HMAC-SHA256 of t.body, with
PERSONA_WEBHOOK_SECRET from functions/.secret.local unless --secret is given), to .../webhooks/persona:
  --type NAME        inquiry.approved (default), .declined, .completed, .failed, .expired, .started,
                     .created, .marked-for-review, .transitioned, .redacted, or any other name
  --id inq_...       the inquiry (default: a random one); --key is taken too
  --status STATUS    the inquiry's status (default: the one the name implies, else pending)
  --rotating         sign with two sets, as Persona does while a secret rotates (the first with a
                     made-up old secret)
  --scenario NAME    replay one of Persona's histories: ${Object.keys(scenarios).join(", ")}`,
    options: { rotating: { type: "boolean", default: false } },
    /** Persona's events for one inquiry, signed as Persona signs them (one set per secret). */
    send(values, { sendSigned, randomId }) {
      const { signatureHeader } = fromBuild("providers", "persona", "signature.js");
      const t0 = Date.now() - 2 * 24 * 3600 * 1000;
      return sendSigned({
        route: "/webhooks/persona",
        secretName: "PERSONA_WEBHOOK_SECRET",
        idPrefix: "inq",
        scenarios,
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
                attributes: {
                  name: `inquiry.${name}`,
                  "created-at": at,
                  payload: { data: inquiry },
                },
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
    },
  },

  demo: {
    what: "a Persona inquiry",
    after: "created from PERSONA_TEMPLATE_ID and linked to the user",
    scenario: "completed-then-approved",
    events: "Persona sends the inquiry's events: created, started, completed, approved",
  },
};
