// Onfido on the local tools: its API stand-in (answering application/json, as the official
// library requires), its signed sender and scenarios, and the demo's path.
import { createHmac, randomUUID } from "node:crypto";
import person from "../../../scripts/dev/person.cjs";

const { PERSON } = person;

/** Onfido's runs for one id: [status, seconds after the first (completed_at), "redelivery"?]. */
const scenarios = {
  "review-then-approved": [
    ["review", 0],
    ["approved", 3600],
  ],
  abandoned: [["abandoned", 0]],
  error: [["error", 0]],
  declined: [["declined", 0]],
  duplicates: [
    ["approved", 0],
    ["approved", 0, "redelivery"],
  ],
  "out-of-order": [
    ["approved", 3600],
    ["review", 0],
  ],
  "page-decline": [["declined", 100]],
  "page-approve": [["approved", 200]],
  "page-abandon": [["abandoned", 300]],
};

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The bench's webhook secret (scripts/bench/bench.mjs). */
const BENCH_SECRET = "onfido_bench_webhook_token";

export default {
  id: "onfido",
  name: "Onfido",
  webhookSecret: "ONFIDO_WEBHOOK_TOKEN",
  apiKey: "ONFIDO_API_TOKEN",
  localSecrets: {
    ONFIDO_WEBHOOK_TOKEN: {
      // Two, as during a rotation (a second webhook's token): the local stack accepts either.
      make: (random) => `local_webhook_token_${random()},local_next_token_${random()}`,
      what: "two random tokens for the Onfido webhook route, as during a rotation",
    },
    ONFIDO_API_TOKEN: {
      make: (random) => `api_sandbox.local${random()}`,
      what: "the API token of the local stand-in for Onfido's API",
    },
  },

  /**
   * Onfido's API (v3.6). `Authorization: Token token=` must be the local ONFIDO_API_TOKEN, or 401.
   *   POST /v3.6/applicants              an applicant (first and last name required, as Onfido)
   *   POST /v3.6/workflow_runs           a run for an applicant, awaiting input, with an sdk_token
   *                                      and a link
   *   GET  /v3.6/workflow_runs/{id}      the answers programmed, else the run as the webhooks sent
   *                                      to the stack left it (with made-up output), fresh token
   *   GET  /v3.6/checks?applicant_id=…   the applicant's check, with a document and a face report
   *   GET  /v3.6/reports/{id}            a report: the document's properties are the planted person's
   *   DELETE /v3.6/applicants/{id}       deletes the applicant (204)
   */
  standIn({
    key,
    programmed,
    programmedErasure,
    programmedFacts,
    reply,
    record,
    requests,
    recorded,
    pageUrl,
  }) {
    const runs = new Map();
    const applicants = new Set();
    /** Each report's applicant and name: a check holds a document and a face report. */
    const reports = new Map();
    const notFound = (json) =>
      json(404, {
        error: { type: "resource_not_found", message: "The resource could not be found" },
      });
    const token = () => `eyJhbGciOiJIUzI1NiJ9.${randomUUID()}`;
    return async (req, body, url, json, res) => {
      if (!url.pathname.startsWith("/v3.6/")) return undefined;
      if (req.headers.authorization !== `Token token=${key}`) {
        return json(401, {
          error: {
            type: "authorization_error",
            message: "Authorization error: please re-check your credentials",
          },
        });
      }
      const sent = JSON.parse(body || "{}");
      if (url.pathname === "/v3.6/applicants" && req.method === "POST") {
        if (!sent.first_name || !sent.last_name) {
          return json(422, {
            error: {
              type: "validation_error",
              message: "There was a validation error on this request",
            },
          });
        }
        const id = randomUUID();
        applicants.add(id);
        requests.set(id, [{ headers: req.headers, body: sent }]);
        return json(201, {
          id,
          first_name: sent.first_name,
          last_name: sent.last_name,
          created_at: iso(Date.now()),
        });
      }
      if (url.pathname === "/v3.6/workflow_runs" && req.method === "POST") {
        if (!applicants.has(sent.applicant_id)) {
          return json(422, {
            error: { type: "validation_error", message: "applicant_id not found" },
          });
        }
        const id = randomUUID();
        const run = {
          id,
          applicant_id: sent.applicant_id,
          workflow_id: sent.workflow_id,
          customer_user_id: sent.customer_user_id ?? null,
          status: "awaiting_input",
          created_at: iso(Date.now()),
          updated_at: iso(Date.now()),
          link: {
            url: pageUrl("onfido", id),
            completed_redirect_url: sent.link?.completed_redirect_url ?? null,
          },
          output: null,
          reasons: [],
        };
        runs.set(id, run);
        requests.set(id, [{ headers: req.headers, body: sent }]);
        return json(201, { ...run, sdk_token: token() });
      }
      const applicant = /^\/v3\.6\/applicants\/([^/]+)$/.exec(url.pathname);
      if (applicant && req.method === "DELETE") {
        // Recorded under the applicant's id: the one the deletion names.
        const id = applicant[1];
        record(id, { headers: req.headers, erase: true });
        const answer = programmedErasure(id);
        if (answer) return reply(answer, res);
        if (!applicants.delete(id)) {
          return json(404, {
            error: { type: "resource_not_found", message: "The resource could not be found" },
          });
        }
        return res.writeHead(204).end();
      }
      if (url.pathname === "/v3.6/checks" && req.method === "GET") {
        const applicantId = url.searchParams.get("applicant_id") ?? "";
        record(applicantId, { headers: req.headers, url: url.pathname + url.search });
        const facts = programmedFacts(applicantId);
        if (facts) return reply(facts, res);
        if (!applicants.has(applicantId)) return notFound(json);
        // The applicant's check: the document report and the face report a Studio run makes.
        const ids = ["document", "facial_similarity_photo"].map((name) => {
          const reportId = randomUUID();
          reports.set(reportId, { applicantId, name });
          return reportId;
        });
        return json(200, {
          checks: [
            { id: randomUUID(), created_at: iso(Date.now()), status: "complete", report_ids: ids },
          ],
        });
      }
      const reportMatch = /^\/v3\.6\/reports\/([^/]+)$/.exec(url.pathname);
      if (reportMatch && req.method === "GET") {
        const report = reports.get(reportMatch[1]);
        if (!report) return notFound(json);
        return json(200, {
          id: reportMatch[1],
          name: report.name,
          status: "complete",
          result: "clear",
          properties:
            report.name === "document"
              ? {
                  first_name: PERSON.givenName,
                  last_name: PERSON.familyName,
                  date_of_birth: "1990-02-14",
                  date_of_expiry: PERSON.documentExpiresOn,
                  document_numbers: [{ type: "document_number", value: PERSON.documentNumber }],
                  document_type: "passport",
                  issuing_country: "DEU",
                }
              : {},
        });
      }
      const match = /^\/v3\.6\/workflow_runs\/([^/]+)$/.exec(url.pathname);
      if (!match || req.method !== "GET") return undefined;
      const id = match[1];
      record(id, { headers: req.headers });
      const answer = programmed(id);
      // A programmed answer about a run created here is that run, moved on.
      if (answer?.status === 200 && runs.has(id)) {
        return json(200, { ...runs.get(id), ...answer.body, sdk_token: token() });
      }
      if (answer) return reply(answer, res);
      const run = runs.get(id);
      if (!run)
        return json(404, {
          error: { type: "resource_not_found", message: "The resource could not be found" },
        });
      const seen = await recorded(id);
      return json(200, {
        ...run,
        ...(seen
          ? {
              status: seen.status,
              updated_at: iso(Date.now()),
              output: { first_name: PERSON.givenName, last_name: PERSON.familyName },
            }
          : {}),
        sdk_token: token(),
      });
    };
  },

  /** The local page: each outcome's scenario, and the run it leaves. Onfido has no retry. */
  page: {
    outcomes: {
      approve: { scenario: "page-approve", leaves: { status: "approved" } },
      decline: { scenario: "page-decline", leaves: { status: "declined" } },
      abandon: { scenario: "page-abandon", leaves: { status: "abandoned" } },
    },
  },

  /** What the local stack's smoke test sends: one event that decides, then each history. */
  smoke: {
    newId: () => randomUUID(),
    event: ["--type", "approved"],
    scenarios: [
      "review-then-approved",
      "abandoned",
      "error",
      "declined",
      "duplicates",
      "out-of-order",
    ],
  },

  /** The bench's row: its params, and a signed run event (in review) about a new run at `now`. */
  bench: {
    env: {
      ONFIDO_WEBHOOK_TOKEN: BENCH_SECRET,
      ONFIDO_API_TOKEN: "",
      ONFIDO_WORKFLOW_ID: "",
      ONFIDO_REGION: "EU",
      ONFIDO_API_BASE_URL: "",
      ONFIDO_COMPLETED_REDIRECT_URL: "",
    },
    delivery(now) {
      const payload = JSON.stringify({
        payload: {
          resource_type: "workflow_run",
          action: "workflow_run.completed",
          object: {
            id: randomUUID(),
            status: "review",
            completed_at_iso8601: new Date(now * 1000).toISOString(),
          },
        },
      });
      return {
        body: payload,
        headers: {
          "Content-Type": "application/json",
          "X-SHA2-Signature": createHmac("sha256", BENCH_SECRET).update(payload).digest("hex"),
        },
      };
    },
  },

  sender: {
    help: `With --provider onfido, signed as Onfido signs (X-SHA2-Signature, a hex HMAC-SHA256 of the
body with the first token of ONFIDO_WEBHOOK_TOKEN from functions/.secret.local unless --secret is
given), to .../webhooks/onfido, as workflow_run.completed:
  --type STATUS      approved (default), declined, review, abandoned, error, processing
  --id UUID          the workflow run (default: a random one); --key is taken too
  --scenario NAME    replay one of Onfido's histories: ${Object.keys(scenarios).join(", ")}`,
    options: {},
    /** Onfido's run events for one run, each signed over its body. */
    send(values, { sendSigned }) {
      const t0 = Date.now() - 2 * 3600 * 1000;
      return sendSigned({
        route: "/webhooks/onfido",
        secretName: "ONFIDO_WEBHOOK_TOKEN",
        idPrefix: "run",
        newId: randomUUID,
        scenarios,
        single: () => [values.type ?? "approved", 0],
        event([status, seconds], id) {
          return {
            label: `workflow_run.completed ${status}`,
            body: {
              payload: {
                resource_type: "workflow_run",
                action: "workflow_run.completed",
                object: {
                  id,
                  status,
                  completed_at_iso8601: iso(t0 + seconds * 1000),
                  href: `https://api.eu.onfido.com/v3.6/workflow_runs/${id}`,
                },
              },
            },
          };
        },
        sign: (payload, secret) => ({
          "X-SHA2-Signature": createHmac("sha256", secret.split(",")[0].trim())
            .update(payload)
            .digest("hex"),
        }),
      });
    },
  },

  demo: {
    what: "an Onfido workflow run",
    // The SDK token and the link open Onfido's flow for this user: for the app, not the logs.
    after: "linked to the user; an SDK token and a link for the app",
    scenario: "review-then-approved",
    events: "Onfido sends the run's events: in review, then approved",
  },
};
