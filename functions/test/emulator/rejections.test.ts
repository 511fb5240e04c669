import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { encryptedBody, flip, lifecycle } from "../../src/providers/passbase/test/kit";
import { postWebhook, allPaths, connectToEmulators, writtenSince } from "./support";

const ctx = connectToEmulators();

const OTHER_KEY = "fedcba9876543210fedcba9876543210";
const REJECTION = { status: 400, text: '{"error":"invalid webhook"}' };
const inTwoHours = Math.floor(Date.now() / 1000) + 2 * 3600;

describe("rejections on the Functions and Firestore emulators", () => {
  // Each case carries a fresh key, so "nothing written" can also be checked for that identity.
  const cases: [string, (key: string) => string | Buffer, Record<string, string>][] = [
    ["an empty body", () => "", {}],
    ["bad base64", () => "%%% not base64 %%%", {}],
    [
      "a ciphertext cut short",
      (key) => encryptedBody(lifecycle(key).completed, ctx.secret).slice(0, 30),
      {},
    ],
    ["the wrong key", (key) => encryptedBody(lifecycle(key).completed, OTHER_KEY), {}],
    ["bad padding", (key) => flip(encryptedBody(lifecycle(key).completed, ctx.secret), -1), {}],
    [
      "a ciphertext of something that is not JSON",
      () => encryptedBody("{not json", ctx.secret),
      {},
    ],
    [
      "a ciphertext of a schema-invalid event",
      (key) => encryptedBody({ ...lifecycle(key).reviewed, status: "pending" }, ctx.secret),
      {},
    ],
    [
      "plaintext JSON while encryption is on",
      (key) => JSON.stringify(lifecycle(key).completed),
      { "Content-Type": "text/plain" },
    ],
    ["a body over 64 KiB", () => "QUFB".repeat(17 * 1024), {}],
    [
      "a ciphertext with charset=utf-8 and a wrong key",
      (key) => encryptedBody(lifecycle(key).completed, OTHER_KEY),
      { "Content-Type": "text/plain; charset=utf-8" },
    ],
    [
      // The runtime inflates it before the app runs; the app refuses it by its header.
      "a valid delivery, gzipped, with Content-Encoding: gzip",
      (key) => gzipSync(encryptedBody(lifecycle(key).completed, ctx.secret)),
      { "Content-Type": "application/octet-stream", "Content-Encoding": "gzip" },
    ],
    [
      "an event dated more than an hour ahead",
      (key) =>
        encryptedBody(
          { ...lifecycle(key).reviewed, updated: inTwoHours, processed: inTwoHours },
          ctx.secret,
        ),
      {},
    ],
  ];

  it.each(cases)("refuses %s identically and writes nothing", async (_name, bodyFor, headers) => {
    const key = randomUUID();
    const before = await allPaths(ctx.db);
    const res = await postWebhook(ctx.base, bodyFor(key), {
      "Content-Type": "text/plain",
      ...headers,
    });
    expect(res).toEqual({ ...REJECTION, contentType: "application/json; charset=utf-8" });
    expect(writtenSince(before, await allPaths(ctx.db))).toEqual([]);
    expect((await ctx.db.collection("verifications").doc(key).get()).exists).toBe(false);
    expect(
      (await ctx.db.collection("verifications").doc(key).collection("events").get()).size,
    ).toBe(0);
  });

  it.each(["GET", "PUT", "DELETE"])("refuses %s with 405", async (method) => {
    const res = await fetch(`${ctx.base}/webhooks`, { method });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
  });
});
