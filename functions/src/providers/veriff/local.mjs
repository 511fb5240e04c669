// Veriff on the local tools: its API stand-in, its signed sender and scenarios, and the demo's
// path (startVerification, then a resubmission and an approval).
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import person from "../../../scripts/dev/person.cjs";

const { PERSON } = person;

const hmac = (payload, secret) => createHmac("sha256", secret).update(payload).digest("hex");

/**
 * Veriff's histories for one session: [what ("event" or "decision"), the action or status,
 * seconds after the first (a decision's decisionTime), the attempt (1, 2…), and "redelivery" (the
 * previous body again) or "replay:N" (step N's body again, later: a captured webhook)].
 */
const scenarios = {
  "resubmission-then-approved": [
    ["event", "started", 0, 1],
    ["event", "submitted", 60, 1],
    ["decision", "resubmission_requested", 120, 1],
    ["event", "started", 400, 2],
    ["event", "submitted", 460, 2],
    ["decision", "approved", 520, 2],
  ],
  "review-then-declined": [
    ["event", "started", 0, 1],
    ["event", "submitted", 60, 1],
    ["decision", "review", 120, 1],
    ["decision", "declined", 3600, 1],
  ],
  abandoned: [
    ["event", "started", 0, 1],
    ["decision", "abandoned", 7 * 24 * 3600, 1],
  ],
  duplicates: [
    ["event", "submitted", 60, 1],
    ["event", "submitted", 60, 1, "redelivery"],
    ["decision", "approved", 120, 1],
    ["decision", "approved", 120, 1, "redelivery"],
  ],
  "page-retry": [
    ["event", "started", 100, 1],
    ["event", "submitted", 160, 1],
    ["decision", "resubmission_requested", 200, 1],
  ],
  "page-decline": [
    ["event", "submitted", 300, 2],
    ["decision", "declined", 360, 2],
  ],
  "page-approve": [
    ["event", "started", 400, 3],
    ["event", "submitted", 460, 3],
    ["decision", "approved", 500, 3],
  ],
  "page-abandon": [["decision", "abandoned", 600, 4]],
  "out-of-order": [
    ["decision", "approved", 520, 2],
    ["event", "submitted", 460, 2],
    ["decision", "resubmission_requested", 120, 1],
    ["event", "started", 0, 1],
  ],
  replay: [
    ["decision", "resubmission_requested", 120, 1],
    ["decision", "approved", 520, 2],
    ["decision", "resubmission_requested", 120, 1, "replay:0"],
  ],
};

/** The bench's webhook secret (scripts/bench/bench.mjs). */
const BENCH_SECRET = "veriff-bench-shared-secret";

export default {
  id: "veriff",
  name: "Veriff",
  webhookSecret: "VERIFF_SHARED_SECRET",
  apiKey: "VERIFF_API_KEY",
  localSecrets: {
    VERIFF_SHARED_SECRET: {
      make: (random) => `veriff-local-shared-${random()}`,
      what: "a random shared secret key for the Veriff webhook route and API",
    },
    VERIFF_API_KEY: {
      make: () => randomUUID(),
      what: "the API key of the local stand-in for Veriff's API",
    },
  },

  /**
   * Veriff's API: sessions are created here, and kept.
   *   POST /v1/sessions                  a session for `verification.vendorData`; X-AUTH-CLIENT
   *                                      must be the local VERIFF_API_KEY, and an
   *                                      X-HMAC-SIGNATURE, if sent, the body's, or 401
   *   GET  /v1/sessions/{id}/decision    X-AUTH-CLIENT, and X-HMAC-SIGNATURE over the session id,
   *                                      or 401; the answers programmed, else the decision the
   *                                      webhooks sent to the stack left (null before one)
   *   DELETE /v1/sessions/{id}           signed as the GET; deletes it (404 for one unknown)
   */
  standIn({
    key,
    keys,
    programmed,
    programmedErasure,
    reply,
    record,
    requests,
    recorded,
    pageUrl,
  }) {
    const secret = keys.VERIFF_SHARED_SECRET;
    const sessions = new Map();
    const unauthorized = (json) =>
      json(401, {
        status: "fail",
        code: "1102",
        message: "Mandatory parameters are missing from the request.",
      });
    return async (req, body, url, json, res) => {
      if (!url.pathname.startsWith("/v1/sessions")) return undefined;
      if (req.headers["x-auth-client"] !== key) return unauthorized(json);
      if (url.pathname === "/v1/sessions" && req.method === "POST") {
        const signature = req.headers["x-hmac-signature"];
        if (signature !== undefined && signature !== hmac(body, secret)) return unauthorized(json);
        const sent = JSON.parse(body || "{}");
        const id = randomUUID();
        const token = randomBytes(24).toString("base64url");
        const session = { id, vendorData: sent.verification?.vendorData ?? null };
        sessions.set(id, session);
        requests.set(id, [{ headers: req.headers, body: sent }]);
        return json(201, {
          status: "success",
          verification: {
            id,
            url: pageUrl("veriff", id),
            vendorData: session.vendorData,
            host: new URL(pageUrl("veriff", id)).origin,
            status: "created",
            sessionToken: token,
          },
        });
      }
      const deleted = /^\/v1\/sessions\/([^/]+)$/.exec(url.pathname);
      if (deleted && req.method === "DELETE") {
        const id = deleted[1];
        record(id, { headers: req.headers, erase: true });
        if (req.headers["x-hmac-signature"] !== hmac(id, secret)) return unauthorized(json);
        const answer = programmedErasure(id);
        if (answer) return reply(answer, res);
        if (!sessions.delete(id)) {
          return json(404, { status: "fail", code: "1404", message: "Session not found" });
        }
        return json(200, { status: "success" });
      }
      const match = /^\/v1\/sessions\/([^/]+)\/decision$/.exec(url.pathname);
      if (!match || req.method !== "GET") return undefined;
      const id = match[1];
      record(id, { headers: req.headers });
      if (req.headers["x-hmac-signature"] !== hmac(id, secret)) return unauthorized(json);
      const answer = programmed(id);
      if (answer) return reply(answer, res);
      const seen = await recorded(id);
      const decided = seen && !["created", "started", "submitted"].includes(seen.status);
      return json(200, {
        status: "success",
        verification: decided
          ? {
              id,
              status: seen.status,
              code: null,
              decisionTime: new Date().toISOString(),
              // The person and the document as Veriff extracted them; validUntil only where
              // Veriff enabled its extraction, which it does not by default.
              person: {
                firstName: PERSON.givenName,
                lastName: PERSON.familyName,
                dateOfBirth: "1990-02-14",
                idNumber: PERSON.documentNumber,
              },
              document: { number: PERSON.documentNumber, type: "PASSPORT", country: "EE" },
            }
          : null,
      });
    };
  },

  /** The local page: each outcome's scenario, and the session's decision it leaves. */
  page: {
    outcomes: {
      approve: { scenario: "page-approve", leaves: { status: "approved" } },
      decline: { scenario: "page-decline", leaves: { status: "declined" } },
      retry: { scenario: "page-retry", leaves: { status: "resubmission_requested" } },
      abandon: { scenario: "page-abandon", leaves: { status: "abandoned" } },
    },
  },

  /** What the local stack's smoke test sends: one event that decides, then each history. */
  smoke: {
    newId: () => randomUUID(),
    event: ["--type", "approved"],
    scenarios: [
      "resubmission-then-approved",
      "review-then-declined",
      "abandoned",
      "duplicates",
      "out-of-order",
      "replay",
    ],
  },

  /** The bench's row: its params, and a signed event webhook (progress) about a new session. */
  bench: {
    env: {
      VERIFF_SHARED_SECRET: BENCH_SECRET,
      VERIFF_API_KEY: "",
      VERIFF_API_BASE_URL: "",
      VERIFF_CALLBACK_URL: "",
    },
    delivery() {
      const id = randomUUID();
      const payload = JSON.stringify({
        id,
        attemptId: id,
        feature: "selfid",
        code: 7001,
        action: "started",
      });
      return {
        body: payload,
        headers: {
          "Content-Type": "application/json",
          "X-HMAC-SIGNATURE": hmac(payload, BENCH_SECRET),
        },
      };
    },
  },

  sender: {
    help: `With --provider veriff, signed as Veriff signs (hex HMAC-SHA256 of the body in
X-HMAC-SIGNATURE, with VERIFF_SHARED_SECRET from functions/.secret.local unless --secret is given),
to .../webhooks/veriff:
  --type STATUS      a decision: approved (default), declined, resubmission_requested, review,
                     expired, abandoned; or an event: started, submitted
  --id UUID          the session (default: a random one); --key is taken too
  --scenario NAME    replay one of Veriff's histories: ${Object.keys(scenarios).join(", ")}`,
    options: {},
    /** Veriff's webhooks for one session, each signed over its body. */
    send(values, { sendSigned }) {
      const t0 = Date.now() - 8 * 24 * 3600 * 1000;
      const attempts = new Map();
      const attemptId = (n) => attempts.get(n) ?? (attempts.set(n, randomUUID()), attempts.get(n));
      return sendSigned({
        route: "/webhooks/veriff",
        secretName: "VERIFF_SHARED_SECRET",
        idPrefix: "session",
        newId: randomUUID,
        scenarios,
        single() {
          const type = values.type ?? "approved";
          return [["started", "submitted"].includes(type) ? "event" : "decision", type, 0, 1];
        },
        event([kind, status, seconds, attempt], id) {
          const body =
            kind === "event"
              ? {
                  id,
                  attemptId: attemptId(attempt),
                  feature: "selfid",
                  code: status === "started" ? 7001 : 7002,
                  action: status,
                  vendorData: "local-user",
                }
              : {
                  status: "success",
                  verification: {
                    id,
                    attemptId: attemptId(attempt),
                    status,
                    code: null,
                    reason: null,
                    reasonCode: null,
                    vendorData: "local-user",
                    acceptanceTime: new Date(t0).toISOString(),
                    decisionTime: new Date(t0 + seconds * 1000).toISOString(),
                    person: { firstName: "Test", lastName: "Person" },
                  },
                };
          return { label: `${kind} ${status} (attempt ${attempt})`, body };
        },
        sign: (payload, secret) => ({ "X-HMAC-SIGNATURE": hmac(payload, secret) }),
      });
    },
  },

  demo: {
    what: "a Veriff session",
    // The URL opens Veriff's flow for this user: for the app, not the logs.
    after: "linked to the user; a URL for the app",
    scenario: "resubmission-then-approved",
    events:
      "Veriff sends the session's webhooks: a resubmission request, a second attempt, approved",
  },
};
