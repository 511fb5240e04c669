// A stand-in for the providers' APIs on loopback, for the emulators (functions/.env.demo-passbase
// points each provider's API base URL here). `npm start` runs it so that the check queue's lookups
// answer locally; the emulator suites run it and script its answers. Each provider's routes, with
// its own authentication (a wrong key gets that provider's 401), live in its module under
// providers/; what is shared is here:
//
//   PUT  /__stand-in/identities/{id}   {"responses": [{"status", "body"?, "raw"?, "delayMs"?}]}
//                                      answered in turn to lookups of that id (any provider's),
//                                      the last repeating
//   PUT  /__stand-in/erasures/{id}     {"responses": [...]} as above, answered in turn to erasure
//                                      calls for that id (a redaction, a deletion)
//   GET  /__stand-in/requests/{id}     the requests received for that id, each with `at` (ms);
//                                      an erasure call's has `erase: true`
import { createServer } from "node:http";
import { readEmulatorDocument } from "../emulators/local-stack.mjs";
import { TOOLS } from "./providers/index.mjs";

export const STAND_IN_PORT = 5180;

/**
 * Starts the stand-in. `keys` holds each provider's API key by its secret's name (the local
 * values of functions/.secret.local). Under `npm start` (`firestore`, host:port), an object that
 * was not programmed is answered as the webhooks sent to the stack left it; otherwise 404.
 */
export function startStandIn({ keys, project, firestore, port = STAND_IN_PORT }) {
  const programs = new Map();
  const erasurePrograms = new Map();
  const requests = new Map();

  /** The next answer of a program, the last one repeating; undefined when none. */
  const next = (program) =>
    program?.length ? (program.length > 1 ? program.shift() : program[0]) : undefined;
  /** The next programmed answer to a lookup of `id`. */
  const programmed = (id) => next(programs.get(id));
  /** The next programmed answer to an erasure call for `id`. */
  const programmedErasure = (id) => next(erasurePrograms.get(id));
  /** Answers as programmed: after its `delayMs`, its `raw` text or its `body` as JSON. */
  async function reply(answer, res) {
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const text = answer.raw ?? JSON.stringify(answer.body ?? {});
    return res.writeHead(answer.status, { "Content-Type": "application/json" }).end(text);
  }
  // `at`: when the request arrived, so that a suite can tell requests in flight at once.
  const record = (id, request) =>
    requests.set(id, [...(requests.get(id) ?? []), { ...request, at: Date.now() }]);

  /**
   * Under `npm start`, a session or an inquiry is as the webhooks sent to the stack left it (the
   * verification in the Firestore emulator), so that send-webhook and the demo move it as the
   * provider would: the recorded provider status and error code, or undefined.
   */
  async function recorded(id) {
    if (!firestore) return undefined;
    const fields = await readEmulatorDocument(firestore, project, `verifications/${id}`);
    const status = fields?.providerStatus?.stringValue;
    return status
      ? {
          status,
          code: fields.lastErrorCode?.stringValue,
          answer: fields.reviewAnswer?.stringValue,
          rejectType: fields.reviewRejectType?.stringValue,
        }
      : undefined;
  }

  const routes = TOOLS.map((tools) =>
    tools.standIn({
      key: keys[tools.apiKey],
      keys,
      programmed,
      reply,
      record,
      requests,
      recorded,
      programmedErasure,
      firestore,
      project,
    }),
  );

  async function handle(req, body, res) {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const json = (status, value) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(value));
    let match = /^\/__stand-in\/identities\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "PUT") {
      programs.set(match[1], JSON.parse(body).responses);
      return json(204, {});
    }
    match = /^\/__stand-in\/erasures\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "PUT") {
      erasurePrograms.set(match[1], JSON.parse(body).responses);
      return json(204, {});
    }
    match = /^\/__stand-in\/requests\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "GET") return json(200, requests.get(match[1]) ?? []);
    for (const route of routes) {
      const answered = await route(req, body, url, json, res);
      if (answered !== undefined) return answered;
    }
    return json(404, { message: "Not found" });
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

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.unref();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    });
  });
}
