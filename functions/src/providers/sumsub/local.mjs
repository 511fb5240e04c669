// Sumsub on the local tools: its API stand-in (which checks each request's signature as Sumsub
// does), its signed sender and scenarios, and the demo's path (startVerification, then a review).
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import person from "../../../scripts/dev/person.cjs";

const { PERSON } = person;

const hmac = (hash, key, text) => createHmac(hash, key).update(text).digest("hex");
/** Sumsub's `createdAtMs`: `yyyy-MM-dd HH:mm:ss.fff`, UTC. */
const sumsubTime = (ms) => new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/**
 * Sumsub's histories for one applicant: [type, reviewStatus, reviewAnswer, reviewRejectType,
 * seconds after the first, and "redelivery" for the same body again].
 */
const scenarios = {
  "pending-then-green": [
    ["applicantCreated", "init", null, null, 0],
    ["applicantPending", "pending", null, null, 60],
    ["applicantReviewed", "completed", "GREEN", null, 120],
  ],
  "red-retry-then-green": [
    ["applicantPending", "pending", null, null, 0],
    ["applicantReviewed", "completed", "RED", "RETRY", 60],
    ["applicantPending", "pending", null, null, 300],
    ["applicantReviewed", "completed", "GREEN", null, 400],
  ],
  "page-retry": [
    ["applicantPending", "pending", null, null, 100],
    ["applicantReviewed", "completed", "RED", "RETRY", 160],
  ],
  "page-decline": [
    ["applicantPending", "pending", null, null, 200],
    ["applicantReviewed", "completed", "RED", "FINAL", 260],
  ],
  "page-approve": [
    ["applicantPending", "pending", null, null, 300],
    ["applicantReviewed", "completed", "GREEN", null, 360],
  ],
  "page-abandon": [["applicantDeactivated", "init", null, null, 400]],
  "green-then-red": [
    ["applicantReviewed", "completed", "GREEN", null, 0],
    ["applicantReviewed", "completed", "RED", "FINAL", 3600],
  ],
  reset: [
    ["applicantReviewed", "completed", "GREEN", null, 0],
    ["applicantReset", "init", null, null, 600],
  ],
  duplicates: [
    ["applicantPending", "pending", null, null, 0],
    ["applicantPending", "pending", null, null, 0, "redelivery"],
    ["applicantReviewed", "completed", "GREEN", null, 60],
    ["applicantReviewed", "completed", "GREEN", null, 60, "redelivery"],
  ],
  "out-of-order": [
    ["applicantReviewed", "completed", "GREEN", null, 120],
    ["applicantPending", "pending", null, null, 60],
    ["applicantCreated", "init", null, null, 0],
  ],
};

/** The bench's webhook secret (scripts/bench/bench.mjs). */
const BENCH_SECRET = "sumsub-bench-webhook-secret";

export default {
  id: "sumsub",
  name: "Sumsub",
  webhookSecret: "SUMSUB_WEBHOOK_SECRET",
  apiKey: "SUMSUB_APP_TOKEN",
  localSecrets: {
    SUMSUB_WEBHOOK_SECRET: {
      make: (random) => `sumsub-local-webhook-${random()}`,
      what: "a random secret for the Sumsub webhook route",
    },
    SUMSUB_APP_TOKEN: {
      make: (random) => `sbx:local${random()}`,
      what: "the App Token of the local stand-in for Sumsub's API",
    },
    SUMSUB_SECRET_KEY: {
      make: (random) => `local${random()}`,
      what: "the secret key that signs requests to the local stand-in for Sumsub's API",
    },
  },

  /**
   * Sumsub's API. Every request must carry X-App-Token (the local SUMSUB_APP_TOKEN), an
   * X-App-Access-Ts within a minute, and X-App-Access-Sig = hex HMAC-SHA256 of ts, method, path
   * with query and body with SUMSUB_SECRET_KEY; anything else gets Sumsub's 401.
   *   POST /resources/applicants?levelName=…              an applicant; 409 for an externalUserId taken
   *   GET  /resources/applicants/-;externalUserId=…/one   that applicant (with made-up personal data)
   *   POST /resources/accessTokens/sdk                     a Web SDK token for a userId
   *   GET  /resources/applicants/{id}/one                  that applicant, as Sumsub extracted it: the
   *                                                        planted person (scripts/dev/person.cjs)
   *   GET  /resources/applicants/{id}/status               the answers programmed, else the status the
   *                                                        webhooks sent to the stack left (init before)
   *   PATCH /resources/applicants/{id}/presence/deactivated  deactivates it; 400 while in review
   */
  standIn({
    key,
    keys,
    programmed,
    programmedErasure,
    programmedFacts,
    reply,
    record,
    requests,
    recorded,
  }) {
    const secretKey = keys.SUMSUB_SECRET_KEY;
    const applicants = new Map();
    const byUser = new Map();
    // What Sumsub extracted from the document (`info`), beside what the applicant typed in
    // (`fixedInfo`, here a younger age and another country: never to be read).
    const asApplicant = (applicant) => ({
      ...applicant,
      info: {
        firstName: PERSON.givenName,
        lastName: PERSON.familyName,
        dob: "1990-02-14",
        country: "DEU",
        idDocs: [
          {
            idDocType: "PASSPORT",
            country: "DEU",
            firstName: PERSON.givenName,
            lastName: PERSON.familyName,
            validUntil: PERSON.documentExpiresOn,
            number: PERSON.documentNumber,
            dob: "1990-02-14",
          },
        ],
      },
      fixedInfo: { firstName: PERSON.givenName, dob: "2015-06-01", country: "FRA" },
      email: "jane.doe@example.com",
    });
    return async (req, body, url, json, res) => {
      if (!url.pathname.startsWith("/resources/")) return undefined;
      const ts = Number(req.headers["x-app-access-ts"]);
      const path = url.pathname + url.search;
      const signed =
        req.headers["x-app-token"] === key &&
        Math.abs(Date.now() / 1000 - ts) <= 60 &&
        req.headers["x-app-access-sig"] ===
          hmac("sha256", secretKey, `${ts}${req.method}${path}${body}`);
      if (!signed) {
        return json(401, {
          description: "Request signature mismatch",
          code: 401,
          correlationId: randomUUID(),
          errorCode: 4003,
          errorName: "app-token-signature mismatch",
        });
      }
      if (url.pathname === "/resources/applicants" && req.method === "POST") {
        const { externalUserId } = JSON.parse(body || "{}");
        const taken = byUser.get(externalUserId);
        if (taken) {
          return json(409, {
            description: `Applicant with external user id '${externalUserId}' already exists: ${taken}`,
            code: 409,
          });
        }
        const id = randomBytes(12).toString("hex");
        const applicant = {
          id,
          createdAt: new Date().toISOString(),
          externalUserId,
          levelName: url.searchParams.get("levelName"),
          review: { reviewStatus: "init" },
        };
        applicants.set(id, applicant);
        byUser.set(externalUserId, id);
        requests.set(id, [{ headers: req.headers, body: JSON.parse(body), url: path }]);
        return json(201, asApplicant(applicant));
      }
      const byExternal = /^\/resources\/applicants\/-;externalUserId=([^/]+)\/one$/.exec(
        url.pathname,
      );
      if (byExternal && req.method === "GET") {
        const id = byUser.get(decodeURIComponent(byExternal[1]));
        return id
          ? json(200, asApplicant(applicants.get(id)))
          : json(404, { description: "Applicant not found", code: 404 });
      }
      if (url.pathname === "/resources/accessTokens/sdk" && req.method === "POST") {
        const { userId } = JSON.parse(body || "{}");
        const id = byUser.get(userId);
        if (id) record(id, { headers: req.headers, url: path });
        return json(200, { token: `_act-sbx-${randomUUID()}`, userId });
      }
      const deactivate = /^\/resources\/applicants\/([0-9a-f]{24})\/presence\/deactivated$/.exec(
        url.pathname,
      );
      if (deactivate && req.method === "PATCH") {
        // Refused while a review is in progress, as Sumsub does.
        const id = deactivate[1];
        record(id, { headers: req.headers, url: path, erase: true });
        const answer = programmedErasure(id);
        if (answer) return reply(answer, res);
        const applicant = applicants.get(id);
        if (!applicant) return json(404, { description: "Applicant not found", code: 404 });
        const seen = await recorded(id);
        if (["pending", "queued", "prechecked"].includes(seen?.status)) {
          return json(400, { description: "Applicant is being reviewed", code: 400 });
        }
        applicant.deleted = true;
        return json(200, asApplicant(applicant));
      }
      const one = /^\/resources\/applicants\/([0-9a-f]{24})\/one$/.exec(url.pathname);
      if (one && req.method === "GET") {
        const id = one[1];
        record(id, { headers: req.headers, url: path });
        const facts = programmedFacts(id);
        if (facts) return reply(facts, res);
        const applicant = applicants.get(id);
        return applicant
          ? json(200, asApplicant(applicant))
          : json(404, { description: "Applicant not found", code: 404 });
      }
      const status = /^\/resources\/applicants\/([0-9a-f]{24})\/status$/.exec(url.pathname);
      if (!status || req.method !== "GET") return undefined;
      const id = status[1];
      record(id, { headers: req.headers, url: path });
      const answer = programmed(id);
      if (answer) return reply(answer, res);
      const seen = await recorded(id);
      const reviewStatus =
        seen && !["reset", "deactivated", "deleted"].includes(seen.status) ? seen.status : "init";
      return json(200, {
        reviewId: "local",
        levelName: applicants.get(id)?.levelName ?? "basic-kyc-level",
        attemptCnt: 1,
        reviewStatus,
        ...(reviewStatus === "completed"
          ? {
              reviewResult: {
                reviewAnswer: seen.answer ?? "GREEN",
                ...(seen.rejectType ? { reviewRejectType: seen.rejectType } : {}),
              },
            }
          : {}),
      });
    };
  },

  /** The local page: each outcome's scenario, and the review status it leaves. */
  page: {
    outcomes: {
      approve: { scenario: "page-approve", leaves: { status: "completed", answer: "GREEN" } },
      decline: {
        scenario: "page-decline",
        leaves: { status: "completed", answer: "RED", rejectType: "FINAL" },
      },
      retry: {
        scenario: "page-retry",
        leaves: { status: "completed", answer: "RED", rejectType: "RETRY" },
      },
      abandon: { scenario: "page-abandon", leaves: { status: "deactivated" } },
    },
  },

  /** What the local stack's smoke test sends: one event that decides, then each history. */
  smoke: {
    newId: () => randomBytes(12).toString("hex"),
    event: ["--type", "applicantReviewed", "--answer", "GREEN"],
    scenarios: [
      "pending-then-green",
      "red-retry-then-green",
      "green-then-red",
      "reset",
      "duplicates",
      "out-of-order",
    ],
  },

  /** The bench's row: its params, and a signed applicant webhook (pending) at `now` (s). */
  bench: {
    env: {
      SUMSUB_WEBHOOK_SECRET: BENCH_SECRET,
      SUMSUB_APP_TOKEN: "",
      SUMSUB_SECRET_KEY: "",
      SUMSUB_LEVEL_NAME: "",
      SUMSUB_API_BASE_URL: "",
      SUMSUB_ALLOW_SHA1: "false",
    },
    delivery(now) {
      const id = randomBytes(12).toString("hex");
      const payload = JSON.stringify({
        applicantId: id,
        correlationId: `req-${id}`,
        type: "applicantPending",
        reviewStatus: "pending",
        createdAtMs: new Date(now * 1000).toISOString().replace("T", " ").replace("Z", ""),
      });
      return {
        body: payload,
        headers: {
          "Content-Type": "application/json",
          "X-Payload-Digest": createHmac("sha256", BENCH_SECRET).update(payload).digest("hex"),
          "X-Payload-Digest-Alg": "HMAC_SHA256_HEX",
        },
      };
    },
  },

  sender: {
    help: `With --provider sumsub, signed as Sumsub signs (X-Payload-Digest, a hex HMAC of the body
with SUMSUB_WEBHOOK_SECRET from functions/.secret.local unless --secret is given), to
.../webhooks/sumsub:
  --type TYPE        applicantReviewed (default), applicantPending, applicantCreated,
                     applicantOnHold, applicantReset, applicantDeactivated, or any other type
  --answer ANSWER    with applicantReviewed: GREEN (default) or RED
  --reject-type T    with RED: FINAL (default) or RETRY
  --id ID            the applicant (24 hex digits; default: a random one); --key is taken too
  --scenario NAME    replay one of Sumsub's histories: ${Object.keys(scenarios).join(", ")}`,
    options: { answer: { type: "string" }, "reject-type": { type: "string" } },
    /** Sumsub's webhooks for one applicant, each signed over its body (SHA256). */
    send(values, { sendSigned }) {
      const t0 = Date.now() - 2 * 3600 * 1000;
      return sendSigned({
        route: "/webhooks/sumsub",
        secretName: "SUMSUB_WEBHOOK_SECRET",
        idPrefix: "applicant",
        newId: () => randomBytes(12).toString("hex"),
        scenarios,
        single() {
          const type = values.type ?? "applicantReviewed";
          const status =
            {
              applicantCreated: "init",
              applicantPending: "pending",
              applicantOnHold: "onHold",
              applicantReset: "init",
            }[type] ?? "completed";
          const answer = status === "completed" ? (values.answer ?? "GREEN") : null;
          const reject = answer === "RED" ? (values["reject-type"] ?? "FINAL") : null;
          return [type, status, answer, reject, 0];
        },
        event([type, reviewStatus, answer, rejectType, seconds], id) {
          return {
            label: `${type} ${reviewStatus}${answer ? ` ${answer}` : ""}${rejectType ? ` ${rejectType}` : ""}`,
            body: {
              applicantId: id,
              inspectionId: randomBytes(12).toString("hex"),
              correlationId: `req-${randomUUID()}`,
              externalUserId: "local-user",
              levelName: "basic-kyc-level",
              type,
              sandboxMode: true,
              reviewStatus,
              ...(answer
                ? {
                    reviewResult: {
                      reviewAnswer: answer,
                      ...(rejectType
                        ? {
                            reviewRejectType: rejectType,
                            rejectLabels: ["UNSATISFACTORY_PHOTOS"],
                            moderationComment: "a test comment",
                          }
                        : {}),
                    },
                  }
                : {}),
              createdAtMs: sumsubTime(t0 + seconds * 1000),
            },
          };
        },
        sign: (payload, secret) => ({
          "X-Payload-Digest": hmac("sha256", secret, payload),
          "X-Payload-Digest-Alg": "HMAC_SHA256_HEX",
        }),
      });
    },
  },

  demo: {
    what: "a Sumsub applicant",
    // The access token opens Sumsub's Web SDK for this user: for the app, not the logs.
    after: "linked to the user; an access token for the Web SDK",
    scenario: "pending-then-green",
    events: "Sumsub sends the applicant's webhooks: created, pending, reviewed GREEN",
  },
};
