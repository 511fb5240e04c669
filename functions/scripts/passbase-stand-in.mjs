// A stand-in for Passbase's Verification API on loopback, for the emulators
// (functions/.env.demo-passbase points PASSBASE_API_BASE_URL here). `npm start` runs it so that
// the details of a review show up locally; the emulator suites run it and script its answers.
//
//   GET  /verification/v1/identities/{id}   X-API-KEY must be the local key, or 401
//   PUT  /__stand-in/identities/{id}        {"responses": [{"status", "body"?, "raw"?, "delayMs"?}]}
//                                           answered in turn, the last one repeating
//   GET  /__stand-in/requests/{id}          the requests received for that identity
import { createServer } from "node:http";
import { readEmulatorDocument } from "./local-stack.mjs";

export const STAND_IN_PORT = 5180;

/**
 * Starts the stand-in. Unprogrammed identities are answered from the Firestore emulator when
 * `firestore` (host:port) is given, as an identity whose status is the verification's, with the
 * kind of personal data a real one has, so that minimisation can be seen; otherwise 404.
 */
export function startStandIn({ apiKey, project, firestore, port = STAND_IN_PORT }) {
  const programs = new Map();
  const requests = new Map();

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
    match = /^\/verification\/v1\/identities\/([^/]+)$/.exec(url.pathname);
    if (!match || req.method !== "GET") return json(404, { message: "Not found" });
    const id = match[1];
    requests.set(id, [...(requests.get(id) ?? []), { headers: req.headers }]);
    if (req.headers["x-api-key"] !== apiKey) return json(401, { message: "Unauthorized" });
    const program = programs.get(id);
    const answer = program?.length
      ? program.length > 1
        ? program.shift()
        : program[0]
      : firestore
        ? await fromFirestore(id)
        : { status: 404, body: { message: "Identity not found" } };
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
