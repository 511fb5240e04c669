import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPassbaseApi } from "../../src/providers/passbase/api-client";
import {
  createPersonaApi,
  INQUIRY_FIELDS,
  PERSONA_VERSION,
} from "../../src/providers/persona/api-client";

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const IDENTITY = { id: KEY, status: "approved", score: 0.9, created: 1, updated: 2 };

type Answer = { status: number; body?: unknown; raw?: string; hang?: boolean };

/** A local HTTP server standing in for Passbase's API, answering from a script, in turn. */
async function standIn(answers: Answer[]) {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (!answer || answer.hang) return; // never answers: the client's timeout must fire
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { baseUrl: `http://127.0.0.1:${port}/verification/v1`, seen };
}
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

const client = (baseUrl: string, timeoutMs?: number) =>
  createPassbaseApi({ baseUrl, apiKey: "secret-api-key", timeoutMs });

describe("Passbase API client against a local stand-in", () => {
  it("fetches an identity, sending the API key", async () => {
    const api = await standIn([{ status: 200, body: IDENTITY }]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toEqual({ ok: true, identity: IDENTITY });
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]?.url).toBe(`/verification/v1/identities/${KEY}`);
    expect(api.seen[0]?.headers["x-api-key"]).toBe("secret-api-key");
    expect(api.seen[0]?.headers.accept).toBe("application/json");
  });

  it.each([
    [404, "not-found", "HTTP 404: no such identity"],
    [401, "unauthorized", "HTTP 401: check PASSBASE_SECRET_API_KEY"],
    [403, "unauthorized", "HTTP 403: check PASSBASE_SECRET_API_KEY"],
    [400, "rejected", "HTTP 400"],
    [503, "unavailable", "HTTP 503"],
    [500, "unavailable", "HTTP 500"],
    [429, "unavailable", "HTTP 429"],
  ] as const)("reports %d as %s, after one request", async (status, failure, message) => {
    const api = await standIn([
      { status, body: {} },
      { status: 200, body: IDENTITY },
    ]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toEqual({
      ok: false,
      failure,
      status,
      message,
    });
    expect(api.seen).toHaveLength(1);
  });

  it("times a hung request out as unavailable", async () => {
    const api = await standIn([{ status: 0, hang: true }]);
    const started = Date.now();
    expect(await client(api.baseUrl, 100).getIdentity(KEY)).toEqual({
      ok: false,
      failure: "unavailable",
      status: null,
      message: "timed out after 100 ms",
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("reports a refused connection as unavailable (network error)", async () => {
    expect(await client("http://127.0.0.1:9/verification/v1").getIdentity(KEY)).toEqual({
      ok: false,
      failure: "unavailable",
      status: null,
      message: "network error",
    });
  });

  it.each([
    ["a body that is not JSON", { status: 200, raw: "<html>oops" }, "the body is not JSON"],
    [
      "JSON that is not an identity",
      { status: 200, body: { id: KEY, status: "weird" } },
      "the body is not an identity",
    ],
  ])("reports %s as malformed", async (_name, answer, message) => {
    const api = await standIn([answer]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toEqual({
      ok: false,
      failure: "malformed",
      status: 200,
      message,
    });
  });
});

describe("Persona API client against a local stand-in", () => {
  const persona = (baseUrl: string) =>
    createPersonaApi({ baseUrl: baseUrl.replace("/verification/v1", "/api/v1"), apiKey: "pk" });
  const inquiry = {
    type: "inquiry",
    id: "inq_1",
    attributes: { status: "pending", "name-first": "Jane", "decisioned-at": null },
  };
  const read = {
    type: "inquiry",
    id: "inq_1",
    attributes: { status: "pending", "decisioned-at": null },
  };

  it("gets an inquiry with sparse fields, the pinned version and the key as a bearer token", async () => {
    const api = await standIn([{ status: 200, body: { data: inquiry } }]);
    expect(await persona(api.baseUrl).getInquiry("inq_1")).toEqual({
      ok: true,
      inquiry: read,
      sessionToken: null,
    });
    const query = new URLSearchParams({ "fields[inquiry]": INQUIRY_FIELDS }).toString();
    expect(api.seen).toMatchObject([
      {
        method: "GET",
        url: `/api/v1/inquiries/inq_1?${query}`,
        headers: {
          authorization: "Bearer pk",
          "persona-version": PERSONA_VERSION,
          "key-inflection": "kebab",
        },
      },
    ]);
  });

  it("creates from an inquiry template or a legacy template, naming the uid, idempotently", async () => {
    const api = await standIn([{ status: 201, body: { data: inquiry } }]);
    await persona(api.baseUrl).createInquiry("u1", "itmpl_A", "key-1");
    await persona(api.baseUrl).createInquiry("u1", "tmpl_B", "key-2");
    expect(
      api.seen.map((r) => [
        r.method,
        r.url,
        r.headers["idempotency-key"],
        JSON.parse(r.body) as unknown,
      ]),
    ).toEqual([
      [
        "POST",
        "/api/v1/inquiries",
        "key-1",
        {
          data: { attributes: { "inquiry-template-id": "itmpl_A" } },
          meta: { "auto-create-account-reference-id": "u1" },
        },
      ],
      [
        "POST",
        "/api/v1/inquiries",
        "key-2",
        {
          data: { attributes: { "template-id": "tmpl_B" } },
          meta: { "auto-create-account-reference-id": "u1" },
        },
      ],
    ]);
  });

  it("resumes an inquiry and hands back its session token", async () => {
    const api = await standIn([
      { status: 200, body: { data: inquiry, meta: { "session-token": "sess_1" } } },
    ]);
    expect(await persona(api.baseUrl).resumeInquiry("inq_1")).toEqual({
      ok: true,
      inquiry: read,
      sessionToken: "sess_1",
    });
    expect(api.seen.map((r) => [r.method, r.url])).toEqual([
      ["POST", "/api/v1/inquiries/inq_1/resume"],
    ]);
  });

  it.each([
    [401, { status: 401 }, "unauthorized", "HTTP 401: check PERSONA_API_KEY"],
    [404, { status: 404 }, "not-found", "HTTP 404: no such inquiry"],
    [
      200,
      { status: 200, body: { data: { type: "account", id: "act_1" } } },
      "malformed",
      "the body is not an inquiry",
    ],
  ])("reports HTTP %d as its failure", async (status, answer, failure, message) => {
    const api = await standIn([answer]);
    expect(await persona(api.baseUrl).getInquiry("inq_1")).toEqual({
      ok: false,
      failure,
      status,
      message,
    });
  });
});
