import Stripe from "stripe";
import request from "supertest";
import { receiverConfig, recordingApp } from "../../../../test/support/app";

const SECRET = "whsec_route_test_secret";

function setup(stripeWebhookSecret = SECRET) {
  const { app, log, of } = recordingApp(
    receiverConfig({
      passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
      stripe: { webhookSecret: stripeWebhookSecret },
    }),
  );
  const [received, stripe] = [of("passbase"), of("stripe")];
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    request(app)
      .post("/webhooks/stripe")
      .set({ "Content-Type": "application/json", ...headers })
      .send(body);
  return { app, post, received, stripe, log };
}

const now = () => Math.floor(Date.now() / 1000);
const sessionEvent = (type: string, status: string, id = "evt_1") =>
  JSON.stringify({
    id,
    object: "event",
    type: `identity.verification_session.${type}`,
    created: now(),
    livemode: false,
    data: { object: { id: "vs_1", object: "identity.verification_session", status } },
  });
const signed = (payload: string, secret = SECRET, timestamp = now()) => ({
  "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
});

describe("POST /webhooks/stripe, in process", () => {
  it("stores a signed session event and answers as for Passbase", async () => {
    const { post, stripe, log } = setup();
    const body = sessionEvent("verified", "verified");
    const res = await post(body, signed(body));
    expect([res.status, res.text]).toEqual([200, '{"received":true,"outcome":"applied"}']);
    expect(stripe).toMatchObject([
      { id: "vs_1", auditId: "evt_1", state: { fields: { providerStatus: "verified" } } },
    ]);
    expect(log.lines).toMatchObject([
      {
        level: "info",
        message: "stripe webhook accepted",
        fields: { ref: "vs_1", outcome: "applied" },
      },
    ]);
  });

  it("acknowledges an event about another object of the account, storing nothing", async () => {
    const { post, stripe } = setup();
    const body = JSON.stringify({
      id: "evt_2",
      object: "event",
      type: "payment_intent.succeeded",
      created: now(),
      livemode: false,
      data: { object: { id: "pi_1" } },
    });
    const res = await post(body, signed(body));
    expect([res.status, res.text]).toEqual([200, '{"received":true,"outcome":"ignored"}']);
    expect(stripe).toEqual([]);
  });

  it.each([
    ["no signature", () => ({})],
    ["a wrong secret", (body: string) => signed(body, "whsec_wrong")],
    ["a stale signature", (body: string) => signed(body, SECRET, now() - 301)],
    ["a signature of another body", () => signed(sessionEvent("canceled", "canceled"))],
  ])("refuses %s with the one answer for every bad body", async (_name, headers) => {
    const { post, stripe, log } = setup();
    const body = sessionEvent("verified", "verified");
    const res = await post(body, headers(body));
    expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    expect(stripe).toEqual([]);
    expect(log.lines).toMatchObject([{ level: "warn", message: "stripe webhook rejected" }]);
  });

  it("refuses a signed body that is not a Stripe event", async () => {
    const { post, stripe } = setup();
    for (const body of ["not json", '{"hello":"world"}']) {
      const res = await post(body, signed(body));
      expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    }
    expect(stripe).toEqual([]);
  });

  it("refuses a body over 256 KiB before reading it, logged as Stripe's", async () => {
    const { post, stripe, log } = setup();
    const res = await post(Buffer.alloc(256 * 1024 + 1, "a"), signed("x"));
    expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    expect(stripe).toEqual([]);
    expect(log.lines).toMatchObject([
      { level: "warn", message: "stripe webhook rejected", fields: { reason: "too-large" } },
    ]);
  });

  it("answers 404 until STRIPE_WEBHOOK_SECRET is set, and says why in the logs once", async () => {
    const { post, stripe, log } = setup("");
    const body = sessionEvent("verified", "verified");
    for (let i = 0; i < 3; i++) expect((await post(body, signed(body))).status).toBe(404);
    expect(stripe).toEqual([]);
    expect(log.lines).toMatchObject([{ level: "warn", fields: { outcome: "disabled" } }]);
    expect(log.lines).toHaveLength(1);
  });

  it("answers 405 to other methods", async () => {
    const { app } = setup();
    const res = await request(app).get("/webhooks/stripe");
    expect([res.status, res.get("allow")]).toEqual([405, "POST"]);
  });
});
