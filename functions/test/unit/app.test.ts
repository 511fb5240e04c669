import { gzipSync } from "node:zlib";
import request from "supertest";
import { createApp } from "../../src/http/app";
import { MAX_BODY_BYTES } from "../../src/providers/passbase/delivery";
import type { StatusEvent } from "../../src/providers/passbase/event";
import { eventRecording } from "../../src/providers/passbase/module";
import type { UserVerification } from "../../src/verification/user-record";
import { recordingLogger, recordingSink } from "../support/recording";
import { encryptedBody, flip, lifecycle } from "../../src/providers/passbase/test/kit";
import { receiverConfig, testProviders } from "../support/app";
import type { KitSettings } from "../support/kits";

const SECRET = "0123456789abcdef0123456789abcdef";
const OLD = "fedcba9876543210fedcba9876543210";
const { completed, reviewed } = lifecycle("b76e244e-26a3-49ef-9c72-3e599bf0b5f2");
const nowSeconds = Math.floor(Date.now() / 1000);
/** The review, dated `ahead` seconds after now. */
const reviewedAhead = (ahead: number) => ({
  ...reviewed,
  updated: nowSeconds + ahead,
  processed: nowSeconds + ahead,
});
/** What the store receives for a status event. */
const recorded = (event: object) => eventRecording(event as StatusEvent);
const records = new Map<string, UserVerification>([
  ["user-1", { key: completed.key, status: "approved", reviewedAt: 1_700_003_600 }],
]);

function setup(
  config: Partial<KitSettings> & { corsOrigins?: string } = {},
  sinkAnswer?: Parameters<typeof recordingSink>[0],
) {
  const log = recordingLogger();
  const { sink, of } = recordingSink(sinkAnswer);
  const received = of("passbase");
  const { corsOrigins = "", ...passbase } = config;
  const configured = receiverConfig(
    { passbase: { webhookSecret: SECRET, ...passbase } },
    corsOrigins,
  );
  const app = createApp({
    store: sink,
    providers: testProviders(configured),
    users: { read: (uid) => Promise.resolve(records.get(uid)) },
    verifyIdToken: (token) =>
      token === "valid-token" ? Promise.resolve("user-1") : Promise.reject(new Error("bad token")),
    corsOrigins: () => configured().corsOrigins,
    logger: log.logger,
  });
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    request(app)
      .post("/webhooks")
      .set({ "Content-Type": "text/plain", ...headers })
      .send(body);
  return { app, post, received, log };
}

describe("POST /webhooks, in process", () => {
  it("accepts an encrypted delivery and hands the validated event to the store", async () => {
    const { post, received, log } = setup();
    const res = await post(encryptedBody(completed, SECRET), {
      "Content-Type": "text/plain; charset=utf-8",
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, outcome: "applied" });
    expect(received).toEqual([recorded(completed)]);
    expect(log.lines).toEqual([
      {
        level: "info",
        message: "webhook accepted",
        fields: {
          ref: completed.key.slice(0, 8),
          event: "VERIFICATION_COMPLETED",
          outcome: "applied",
          ms: expect.any(Number) as number,
          keyIndex: 0,
        },
      },
    ]);
  });

  const json = { "Content-Type": "application/json" };
  const rejections: [string, string | Buffer, Record<string, string>][] = [
    ["an empty body", "", {}],
    ["bad base64", "not base64 at all!", {}],
    ["a truncated ciphertext", encryptedBody(completed, SECRET).slice(0, 40), {}],
    ["the wrong key", encryptedBody(completed, OLD), {}],
    ["a flipped bit in the IV", flip(encryptedBody(completed, SECRET), 3), {}],
    [
      "a flipped bit in the last block (bad padding)",
      flip(encryptedBody(completed, SECRET), -3),
      {},
    ],
    ["a ciphertext of something that is not JSON", encryptedBody("hello", SECRET), {}],
    [
      "a ciphertext of an invalid event",
      encryptedBody({ ...completed, status: "maybe" }, SECRET),
      {},
    ],
    ["plaintext JSON while encryption is on", JSON.stringify(completed), json],
    ["a body over 64 KiB", "A".repeat(MAX_BODY_BYTES + 4), {}],
    [
      "a compressed body",
      gzipSync(encryptedBody(completed, SECRET)),
      { "Content-Type": "application/octet-stream", "Content-Encoding": "gzip" },
    ],
    ["an odd content type", encryptedBody(completed, OLD), { "Content-Type": "image/png" }],
    [
      "a valid delivery that declares any content encoding",
      encryptedBody(completed, SECRET),
      { "Content-Encoding": "identity" },
    ],
    ["an event dated more than an hour ahead", encryptedBody(reviewedAhead(3601 + 60), SECRET), {}],
  ];

  it.each(rejections)(
    "refuses %s with the one rejection, storing nothing and logging the reason",
    async (_name, body, headers) => {
      const { post, received, log } = setup();
      const res = await post(body, headers);
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(res.text).toBe('{"error":"invalid webhook"}');
      expect(received).toEqual([]);
      expect(log.lines).toMatchObject([{ level: "warn", message: "webhook rejected" }]);
    },
  );

  it.each([
    // (gzip itself is refused earlier in process; in the Functions runtime it arrives inflated.)
    ["encoded", encryptedBody(completed, SECRET), { "Content-Encoding": "identity" }],
    ["future-timestamp", encryptedBody(reviewedAhead(2 * 3600), SECRET), {}],
  ] as const)("logs the reason %s", async (reason, body, headers) => {
    const { post, log } = setup();
    expect((await post(body, headers)).status).toBe(400);
    expect(log.lines).toMatchObject([{ fields: { reason } }]);
  });

  it("accepts an event up to an hour ahead of its clock (clocks differ)", async () => {
    const { post, received } = setup();
    const event = reviewedAhead(1800);
    expect((await post(encryptedBody(event, SECRET))).status).toBe(200);
    expect(received).toEqual([recorded(event)]);
  });

  it("sets the same headers on every rejection, bar the date", async () => {
    const answers = [];
    for (const [, body, sent] of rejections) {
      const res = await setup().post(body, sent);
      const { date: _date, ...headers } = res.headers;
      answers.push({ status: res.status, headers, text: res.text });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
  });

  it("accepts a delivery under the older key of a rotation, and warns to finish it", async () => {
    const { post, received, log } = setup({ webhookSecret: `${SECRET}\n${OLD}\n` });
    const res = await post(encryptedBody(completed, OLD));
    expect(res.status).toBe(200);
    expect(received).toHaveLength(1);
    expect(log.lines[0]).toEqual({
      level: "warn",
      message: "webhook authenticated with an older secret; finish the rotation",
      fields: { ref: completed.key.slice(0, 8), keyIndex: 1 },
    });
  });

  it.each([
    ["a secret that is not 32 bytes", { webhookSecret: "short" }, "key 1 of 1 is 5 bytes"],
    ["a bad key in a rotation", { webhookSecret: `${SECRET}\nshort` }, "key 2 of 2 is 5 bytes"],
    ["no secret and no plaintext opt-in", { webhookSecret: "" }, "it is empty"],
    [
      "a malformed secret, even with the plaintext opt-in",
      { webhookSecret: "short", allowUnencrypted: true },
      "key 1 of 1 is 5 bytes",
    ],
  ])(
    "fails closed on %s: 500, a clear log line, nothing stored",
    async (_name, config, problem) => {
      const { post, received, log } = setup(config);
      for (const body of [encryptedBody(completed, SECRET), JSON.stringify(completed)]) {
        const res = await post(body);
        expect(res.status).toBe(500);
        expect(res.body).toEqual({ error: "internal error" });
      }
      expect(received).toEqual([]);
      expect(log.lines[0]?.level).toBe("error");
      expect(log.lines[0]?.message).toContain(
        `PASSBASE_WEBHOOK_SECRET is misconfigured: ${problem}`,
      );
    },
  );

  it("accepts plaintext JSON only with no secret and the opt-in, for trials", async () => {
    const { post, received } = setup({ webhookSecret: "", allowUnencrypted: true });
    const res = await post(JSON.stringify(completed), json);
    expect(res.status).toBe(200);
    expect(received).toEqual([recorded(completed)]);
  });

  it("answers 503 when the store fails, so that Passbase retries", async () => {
    const { post, log } = setup({}, () =>
      Promise.reject(new Error("14 UNAVAILABLE: no connection")),
    );
    const res = await post(encryptedBody(completed, SECRET));
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ error: "temporarily unavailable" });
    expect(log.lines).toMatchObject([
      {
        level: "error",
        fields: {
          ref: completed.key.slice(0, 8),
          outcome: "storage-error",
          error: "14 UNAVAILABLE: no connection",
        },
      },
    ]);
  });

  it.each(["get", "put", "delete", "patch"] as const)("refuses %s with 405", async (method) => {
    const { app, received } = setup();
    const res = await request(app)[method]("/webhooks");
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("POST");
    expect(received).toEqual([]);
  });

  it("answers 404 elsewhere", async () => {
    const res = await request(setup().app).post("/webhook").send("x");
    expect(res.status).toBe(404);
  });

  it("never logs the secret, a body or personal data", async () => {
    const { post, log } = setup({ webhookSecret: `${SECRET}\n${OLD}` });
    const withPersonalData = {
      ...completed,
      owner: { email: "jane@example.com", first_name: "Jane" },
    };
    const bodies = [
      encryptedBody(withPersonalData, SECRET),
      encryptedBody(withPersonalData, OLD),
      encryptedBody({ ...withPersonalData, status: "nope" }, SECRET),
      JSON.stringify(withPersonalData),
    ];
    for (const body of bodies) await post(body);
    const text = log.text();
    expect(log.lines).toHaveLength(5);
    // The whole key is a credential for linkVerification: logs name it by its first 8 characters.
    for (const secret of [SECRET, OLD, completed.key, "jane@example.com", "Jane", ...bodies]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe("GET /verification, in process", () => {
  const APP = "https://app.example.com";

  it("answers the caller's verification from their user record", async () => {
    const res = await request(setup().app)
      .get("/verification")
      .set("Authorization", "Bearer valid-token");
    expect(res.status).toBe(200);
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(res.body).toEqual({
      verification: {
        key: completed.key,
        status: "approved",
        reviewedAt: "2023-11-14T23:13:20.000Z",
      },
    });
  });

  it.each([
    ["no Authorization header", undefined],
    ["a token that does not verify", "Bearer forged"],
    ["another scheme", "Basic dXNlcjpwYXNz"],
  ])("answers 401 to %s", async (_name, authorization) => {
    const req = request(setup().app).get("/verification");
    const res = await (authorization ? req.set("Authorization", authorization) : req);
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe("Bearer");
    expect(res.headers["cache-control"]).toBe("private, no-store");
  });

  it("is never cached, for a method it does not serve either", async () => {
    const res = await request(setup().app).post("/verification");
    expect([res.status, res.headers["cache-control"]]).toEqual([405, "private, no-store"]);
  });

  it("is never cached, for a preflight either", async () => {
    const res = await request(setup({ corsOrigins: APP }).app)
      .options("/verification")
      .set({ Origin: APP, "Access-Control-Request-Method": "GET" });
    expect([res.status, res.headers["cache-control"]]).toEqual([204, "private, no-store"]);
  });

  it("lets an allowed origin read the answer", async () => {
    const { app } = setup({ corsOrigins: ` ${APP} , https://admin.example.com` });
    const res = await request(app)
      .get("/verification")
      .set("Origin", APP)
      .set("Authorization", "Bearer valid-token");
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
  });

  it("answers a preflight from an allowed origin", async () => {
    const { app } = setup({ corsOrigins: APP });
    const res = await request(app)
      .options("/verification")
      .set("Origin", APP)
      .set("Access-Control-Request-Method", "GET")
      .set("Access-Control-Request-Headers", "Authorization");
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe(APP);
    expect(res.headers["access-control-allow-methods"]).toBe("GET");
    expect(res.headers["access-control-allow-headers"]).toBe("Authorization");
  });

  it.each([
    ["an origin not on the list", APP, "https://evil.example.com"],
    ["any origin when the list is empty", "", APP],
  ])("gives no CORS headers to %s", async (_name, corsOrigins, origin) => {
    const { app } = setup({ corsOrigins });
    const res = await request(app)
      .get("/verification")
      .set("Origin", origin)
      .set("Authorization", "Bearer valid-token");
    expect(res.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("gives the webhook route no CORS headers, even for an allowed origin", async () => {
    const { app } = setup({ corsOrigins: APP });
    const post = await request(app)
      .post("/webhooks")
      .set("Origin", APP)
      .set("Content-Type", "text/plain")
      .send(encryptedBody(completed, SECRET));
    expect(post.status).toBe(200);
    expect(post.headers["access-control-allow-origin"]).toBeUndefined();
    const preflight = await request(app)
      .options("/webhooks")
      .set("Origin", APP)
      .set("Access-Control-Request-Method", "POST");
    expect(preflight.status).toBe(405);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });
});
