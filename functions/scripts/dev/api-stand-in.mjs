// A stand-in for the providers' APIs on loopback, for the emulators: Passbase's Verification API
// (functions/.env.demo-passbase points PASSBASE_API_BASE_URL here). `npm start` runs it so that
// the details of a review show up locally; the emulator suites run it and script its answers.
//
//   GET  /verification/v1/identities/{id}   X-API-KEY must be the local key, or 401
//   PUT  /__stand-in/identities/{id}        {"responses": [{"status", "body"?, "raw"?, "delayMs"?}]}
//                                           answered in turn, the last one repeating
//   GET  /__stand-in/requests/{id}          the requests received for that identity (or session)
//
// And for Stripe Identity (functions/.env.demo-passbase points STRIPE_API_BASE_URL here):
//   POST /v1/identity/verification_sessions        creates a session (requires_input); the same
//                                                  Idempotency-Key gives the same session
//   GET  /v1/identity/verification_sessions/{id}   the session, or the answers programmed with
//   PUT  /__stand-in/identities/{id}               (the same route, by session id)
//   Authorization: Bearer <STRIPE_SECRET_KEY of functions/.secret.local>, or 401
//
// And for Persona (functions/.env.demo-passbase points PERSONA_API_BASE_URL here):
//   POST /api/v1/inquiries                 creates an inquiry (created); the same
//                                          Idempotency-Key gives the same inquiry
//   POST /api/v1/inquiries/{id}/resume     created, pending or expired: pending, with a
//                                          meta.session-token; anything else 422
//   GET  /api/v1/inquiries/{id}            the inquiry (only the attributes named in
//                                          fields[inquiry], as Persona's sparse fieldsets), or the
//   PUT  /__stand-in/identities/{id}       answers programmed (the same route, by inquiry id)
//   Authorization: Bearer <PERSONA_API_KEY of functions/.secret.local>, or 401
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { readEmulatorDocument } from "../emulators/local-stack.mjs";

export const STAND_IN_PORT = 5180;

/**
 * Starts the stand-in. Unprogrammed identities are answered from the Firestore emulator when
 * `firestore` (host:port) is given, as an identity whose status is the verification's, with the
 * kind of personal data a real one has, so that minimisation can be seen; otherwise 404.
 */
export function startStandIn({
  apiKey,
  stripeKey,
  personaKey,
  project,
  firestore,
  port = STAND_IN_PORT,
}) {
  const programs = new Map();
  const requests = new Map();
  const sessions = new Map();
  const inquiries = new Map();
  // Each provider keeps its own idempotency keys, as the real APIs do: the same key sent to
  // Stripe and to Persona names two different requests.
  const byIdempotencyKey = { stripe: new Map(), persona: new Map() };

  /** The next programmed answer for `id`, the last one repeating; undefined when none. */
  const programmed = (id) => {
    const program = programs.get(id);
    return program?.length ? (program.length > 1 ? program.shift() : program[0]) : undefined;
  };
  // `at`: when the request arrived, so that a suite can tell requests in flight at once.
  const record = (id, request) =>
    requests.set(id, [...(requests.get(id) ?? []), { ...request, at: Date.now() }]);

  /** Persona's API: inquiries are created here, in created, with personal data once "filled". */
  async function persona(req, body, url, json) {
    if (req.headers.authorization !== `Bearer ${personaKey}`) {
      return json(401, { errors: [{ title: "Must be authenticated to access this endpoint" }] });
    }
    const resource = (inquiry, meta) => ({ data: inquiry, ...(meta ? { meta } : {}) });
    if (url.pathname === "/api/v1/inquiries" && req.method === "POST") {
      const key = req.headers["idempotency-key"];
      const existing = key && byIdempotencyKey.persona.get(key);
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
            data: { type: "inquiry-template", id: sent.data?.attributes?.["inquiry-template-id"] },
          },
        },
      };
      inquiries.set(id, inquiry);
      if (key) byIdempotencyKey.persona.set(key, id);
      requests.set(id, [{ headers: req.headers, body: sent }]);
      return json(201, resource(inquiry));
    }
    const match = /^\/api\/v1\/inquiries\/([^/]+)(\/resume)?$/.exec(url.pathname);
    if (!match) return undefined;
    const [, id, resume] = match;
    record(id, { headers: req.headers, url: url.pathname + url.search });
    const answer = resume ? undefined : programmed(id);
    if (answer) return json(answer.status, answer.body ?? {});
    const known = inquiries.get(id);
    if (!known) return json(404, { errors: [{ title: "Record not found" }] });
    const inquiry = await inquiryAsRecorded(known);
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
  }

  /** Stripe's API: sessions are created here, in requires_input, and kept. */
  async function stripe(req, body, url, json) {
    if (req.headers.authorization !== `Bearer ${stripeKey}`) {
      return json(401, { error: { type: "invalid_request_error", message: "Invalid API Key" } });
    }
    if (url.pathname === "/v1/identity/verification_sessions" && req.method === "POST") {
      const key = req.headers["idempotency-key"];
      const existing = key && byIdempotencyKey.stripe.get(key);
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
        url: `https://verify.stripe.com/start/test_${randomBytes(12).toString("hex")}`,
      };
      sessions.set(id, session);
      if (key) byIdempotencyKey.stripe.set(key, id);
      requests.set(id, [{ headers: req.headers, form: Object.fromEntries(form) }]);
      return json(200, session);
    }
    const match = /^\/v1\/identity\/verification_sessions\/([^/]+)$/.exec(url.pathname);
    if (!match || req.method !== "GET") return undefined;
    const id = match[1];
    record(id, { headers: req.headers });
    const answer = programmed(id);
    if (answer) return json(answer.status, answer.body ?? {});
    const session = sessions.get(id);
    if (!session) {
      return json(404, { error: { type: "invalid_request_error", message: "No such session" } });
    }
    return json(200, await asRecorded(session));
  }

  /**
   * Under `npm start`, a session or an inquiry is as the webhooks sent to the stack left it (the
   * verification in the Firestore emulator), so that send-webhook and the demo move it as the
   * provider would: the recorded provider status and error code, or undefined.
   */
  async function recorded(id) {
    if (!firestore) return undefined;
    const fields = await readEmulatorDocument(firestore, project, `verifications/${id}`);
    const status = fields?.providerStatus?.stringValue;
    return status ? { status, code: fields.lastErrorCode?.stringValue } : undefined;
  }

  async function asRecorded(session) {
    const seen = await recorded(session.id);
    if (!seen) return session;
    return {
      ...session,
      status: seen.status,
      last_error: seen.code ? { code: seen.code, reason: "…" } : null,
    };
  }

  async function inquiryAsRecorded(inquiry) {
    const seen = await recorded(inquiry.id);
    return seen
      ? { ...inquiry, attributes: { ...inquiry.attributes, status: seen.status } }
      : inquiry;
  }

  async function fromFirestore(id) {
    const fields = await readEmulatorDocument(firestore, project, `verifications/${id}`);
    if (!fields) return { status: 404, body: { message: "Identity not found" } };
    const seconds = (name) =>
      fields[name] ? Date.parse(fields[name].timestampValue) / 1000 : null;
    return {
      status: 200,
      body: {
        id,
        status: fields.status?.stringValue ?? "processing",
        score: 0.93,
        created: seconds("created"),
        updated: seconds("updated"),
        owner: { email: "jane.doe@example.com", first_name: "Jane", last_name: "Doe" },
        resources: [
          {
            type: "PASSPORT",
            datapoints: {
              document_number: "X1234567",
              date_of_birth: "1990-01-01",
              first_names: "Jane",
            },
          },
        ],
        metadata: null,
        watchlist: { clean: true },
      },
    };
  }

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      void handle(req, body, res).catch((error) => {
        res.writeHead(500).end(String(error));
      });
    });
  });

  async function handle(req, body, res) {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const json = (status, value) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(value));
    let match = /^\/__stand-in\/identities\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "PUT") {
      programs.set(match[1], JSON.parse(body).responses);
      return json(204, {});
    }
    match = /^\/__stand-in\/requests\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "GET") return json(200, requests.get(match[1]) ?? []);
    if (url.pathname.startsWith("/v1/identity/")) {
      const answered = await stripe(req, body, url, json);
      if (answered !== undefined) return answered;
    }
    if (url.pathname.startsWith("/api/v1/inquiries")) {
      const answered = await persona(req, body, url, json);
      if (answered !== undefined) return answered;
    }
    match = /^\/verification\/v1\/identities\/([^/]+)$/.exec(url.pathname);
    if (!match || req.method !== "GET") return json(404, { message: "Not found" });
    const id = match[1];
    record(id, { headers: req.headers });
    if (req.headers["x-api-key"] !== apiKey) return json(401, { message: "Unauthorized" });
    const answer =
      programmed(id) ??
      (firestore
        ? await fromFirestore(id)
        : { status: 404, body: { message: "Identity not found" } });
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    if (answer.raw !== undefined) {
      return res.writeHead(answer.status, { "Content-Type": "application/json" }).end(answer.raw);
    }
    return json(answer.status, answer.body ?? {});
  }

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.unref();
      resolve({ url: `http://127.0.0.1:${port}/verification/v1`, close: () => server.close() });
    });
  });
}
