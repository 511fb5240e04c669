import fc from "fast-check";
import { signatureHeader } from "../signature";
import { receiverConfig, recordingApp, serveForSuite } from "../../../../test/support/app";
import { distinctAnswers, fuzzedBodies, REJECTED } from "../../../../test/support/fuzz";
import { inquiryEvent } from "./kit";

const SECRET = "wbhsec_route_test_secret";
const now = () => Math.floor(Date.now() / 1000);

const { app, log, all } = recordingApp(
  receiverConfig({
    passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
    persona: { webhookSecret: SECRET },
  }),
);
const url = serveForSuite(app);

const valid = JSON.stringify(inquiryEvent("inq_1", "approved", "approved", Date.now(), "evt_1"));

describe("POST /webhooks/persona, property-based, in process", () => {
  it("answers 10,000 fuzzed bodies and headers identically, storing nothing", async () => {
    const headers = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      // Well-formed headers (one or two sets) with wrong or random signatures, fresh, stale, ahead.
      fc
        .array(
          fc.tuple(fc.integer({ min: 0, max: 2 * now() }), fc.stringMatching(/^[0-9a-f]{64}$/)),
          { minLength: 1, maxLength: 2 },
        )
        .map((sets) => sets.map(([t, v1]) => `t=${t},v1=${v1}`).join(" ")),
      // The valid body's signature under other secrets, and under the right one out of time.
      fc.constant(signatureHeader(valid, ["wbhsec_other", "wbhsec_older"], now())),
      fc.constantFrom(now() - 601, now() + 3600).map((t) => signatureHeader(valid, [SECRET], t)),
    );
    const answers = await distinctAnswers(
      url("/webhooks/persona"),
      "Persona-Signature",
      fuzzedBodies(valid),
      headers,
    );
    expect(answers).toEqual([REJECTED]);
    expect(all).toEqual([]);
    expect(log.lines.filter((l) => l.level !== "warn")).toEqual([]);
    expect(log.text()).not.toMatch(/Jane|Doe|jane@/);
  }, 120_000);
});
