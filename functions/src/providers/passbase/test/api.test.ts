import { createPassbaseApi } from "../api-client";
import { scriptedApi, type Answer } from "../../../../test/support/scripted-api";

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const IDENTITY = { id: KEY, status: "approved", score: 0.9, created: 1, updated: 2 };

/** A local server standing in for Passbase's API, answering from a script, in turn. */
const standIn = (answers: Answer[]) => scriptedApi(answers, "/verification/v1");

const client = (baseUrl: string, timeoutMs?: number) =>
  createPassbaseApi({ baseUrl, apiKey: "secret-api-key", timeoutMs });

describe("Passbase API client against a local stand-in", () => {
  it("fetches an identity, sending the API key", async () => {
    const api = await standIn([{ status: 200, body: IDENTITY }]);
    expect(await client(api.baseUrl).getIdentity(KEY)).toEqual({
      ok: true,
      identity: IDENTITY,
      verified: {},
    });
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
