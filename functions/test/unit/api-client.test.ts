import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createPassbaseApi } from "../../src/passbase/api-client";

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const IDENTITY = { id: KEY, status: "approved", score: 0.9, created: 1, updated: 2 };

type Answer = { status: number; body?: unknown; raw?: string; hang?: boolean };

/** A local HTTP server standing in for Passbase's API, answering from a script, in turn. */
async function standIn(answers: Answer[]) {
  const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ url: req.url ?? "", headers: req.headers });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (!answer || answer.hang) return; // never answers: the client's timeout must fire
    res.writeHead(answer.status, { "Content-Type": "application/json" });
    res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
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

const client = (baseUrl: string, options: { timeoutMs?: number; budgetMs?: number } = {}) =>
  createPassbaseApi({
    baseUrl,
    apiKey: "secret-api-key",
    baseDelayMs: 10,
    random: () => 1,
    ...options,
  });

describe("Passbase API client against a local stand-in", () => {
  it("fetches an identity, sending the API key", async () => {
    const api = await standIn([{ status: 200, body: IDENTITY }]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toEqual({
      ok: true,
      identity: IDENTITY,
      attempts: 1,
    });
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]?.url).toBe(`/verification/v1/identities/${KEY}`);
    expect(api.seen[0]?.headers["x-api-key"]).toBe("secret-api-key");
    expect(api.seen[0]?.headers.accept).toBe("application/json");
  });

  it.each([
    [404, "not-found"],
    [401, "unauthorized"],
    [400, "rejected"],
  ] as const)("does not retry %d: %s", async (status, failure) => {
    const api = await standIn([
      { status, body: {} },
      { status: 200, body: IDENTITY },
    ]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toMatchObject({
      ok: false,
      failure,
      status,
      attempts: 1,
    });
    expect(api.seen).toHaveLength(1);
  });

  it("says to check PASSBASE_SECRET_API_KEY on a 401", async () => {
    const api = await standIn([{ status: 401 }]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toMatchObject({
      message: "HTTP 401: check PASSBASE_SECRET_API_KEY",
    });
  });

  it.each([503, 429, 500])("retries %d, then succeeds", async (status) => {
    const api = await standIn([{ status }, { status }, { status: 200, body: IDENTITY }]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toMatchObject({ ok: true, attempts: 3 });
    expect(api.seen).toHaveLength(3);
  });

  it("gives up when the budget runs out, saying how often it tried", async () => {
    const api = await standIn([{ status: 503 }]);
    const result = await client(api.baseUrl, { timeoutMs: 50, budgetMs: 300 }).getIdentity(KEY);
    expect(result).toMatchObject({ ok: false, failure: "unavailable", status: 503 });
    expect(result.attempts).toBe(api.seen.length);
    expect(result.attempts).toBeGreaterThan(1);
  });

  it("times a hung request out and retries it", async () => {
    const api = await standIn([
      { status: 0, hang: true },
      { status: 200, body: IDENTITY },
    ]);
    const started = Date.now();
    const result = await client(api.baseUrl, { timeoutMs: 200, budgetMs: 2000 }).getIdentity(KEY);
    expect(result).toMatchObject({ ok: true, attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it("reports a request that keeps hanging as timed out", async () => {
    const api = await standIn([{ status: 0, hang: true }]);
    expect(
      await client(api.baseUrl, { timeoutMs: 100, budgetMs: 250 }).getIdentity(KEY),
    ).toMatchObject({ ok: false, failure: "unavailable", message: "timed out after 100 ms" });
  });

  it("retries a refused connection (network error)", async () => {
    const result = await client("http://127.0.0.1:9/verification/v1", {
      timeoutMs: 50,
      budgetMs: 200,
    }).getIdentity(KEY);
    expect(result).toMatchObject({ ok: false, failure: "unavailable", message: "network error" });
    expect(result.attempts).toBeGreaterThan(1);
  });

  it.each([
    ["a body that is not JSON", { status: 200, raw: "<html>oops" }],
    ["JSON that is not an identity", { status: 200, body: { id: KEY, status: "weird" } }],
  ])("reports %s as malformed, without retrying", async (_name, answer) => {
    const api = await standIn([answer, { status: 200, body: IDENTITY }]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toMatchObject({
      ok: false,
      failure: "malformed",
      attempts: 1,
    });
  });
});
