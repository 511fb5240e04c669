import fc from "fast-check";
import Stripe from "stripe";
import { receiverConfig, recordingApp, serveForSuite } from "../../../../test/support/app";
import { distinctAnswers, fuzzedBodies, REJECTED } from "../../../../test/support/fuzz";

const SECRET = "whsec_route_test_secret";
const now = () => Math.floor(Date.now() / 1000);

const { app, log, all } = recordingApp(
  receiverConfig({
    passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
    stripe: { webhookSecret: SECRET },
  }),
);
const url = serveForSuite(app);

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
    const headers = fc.oneof(
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
    const answers = await distinctAnswers(
      url("/webhooks/stripe"),
      "Stripe-Signature",
      fuzzedBodies(valid),
      headers,
    );
    expect(answers).toEqual([REJECTED]);
    expect(all).toEqual([]);
    expect(log.lines.filter((l) => l.level !== "warn")).toEqual([]);
  }, 120_000);
});
