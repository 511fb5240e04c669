import fc from "fast-check";
import Stripe from "stripe";
import { receiverConfig, recordingApp, serveForSuite } from "../support/app";

const SECRET = "whsec_route_test_secret";
const now = () => Math.floor(Date.now() / 1000);

const { app, log, received, stripe } = recordingApp(
  receiverConfig("0123456789abcdef0123456789abcdef", { stripeWebhookSecret: SECRET }),
);
const url = serveForSuite(app);

async function post(body: Buffer, headers: Record<string, string>) {
  const res = await fetch(url("/webhooks/stripe"), {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", ...headers },
  });
  return { status: res.status, text: await res.text(), type: res.headers.get("content-type") };
}

const valid = JSON.stringify({
  id: "evt_1",
  object: "event",
  type: "identity.verification_session.verified",
  created: now(),
  livemode: false,
  data: { object: { id: "vs_1", object: "identity.verification_session", status: "verified" } },
});

describe("POST /webhooks/stripe, property-based, in process", () => {
  it("answers 10,000 fuzzed bodies and headers identically, storing nothing", async () => {
    const header = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      // Well-formed headers with wrong or random signatures, fresh and stale.
      fc
        .tuple(fc.integer({ min: 0, max: 2 * now() }), fc.stringMatching(/^[0-9a-f]{64}$/))
        .map(([t, v1]) => `t=${t},v1=${v1}`),
      fc.constant(
        Stripe.webhooks.generateTestHeaderString({ payload: valid, secret: "whsec_other" }),
      ),
    );
    const body = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 512 }).map((b) => Buffer.from(b)),
      fc.json().map((json) => Buffer.from(json)),
      fc.constant(Buffer.from(valid)),
    );
    const answers = new Set<string>();
    await fc.assert(
      fc.asyncProperty(body, header, async (b, h) => {
        const res = await post(b, h === undefined ? {} : { "Stripe-Signature": h });
        answers.add(`${res.status} ${res.type} ${res.text}`);
      }),
      { numRuns: 10_000 },
    );
    expect([...answers]).toEqual([
      '400 application/json; charset=utf-8 {"error":"invalid webhook"}',
    ]);
    expect([stripe, received]).toEqual([[], []]);
    expect(log.lines.filter((l) => l.level !== "warn")).toEqual([]);
  }, 120_000);
});
