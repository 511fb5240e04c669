import fc from "fast-check";
import { payloadDigest } from "../signature";
import { receiverConfig, recordingApp, serveForSuite } from "../../../../test/support/app";
import { distinctAnswers, fuzzedBodies, REJECTED } from "../../../../test/support/fuzz";
import { applicantWebhook, newApplicantId } from "./kit";

const SECRET = "sumsub-route-test-webhook-secret";

const { app, log, all } = recordingApp(
  receiverConfig({
    passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
    sumsub: { webhookSecret: SECRET, allowSha1: false },
  }),
);
const url = serveForSuite(app);

const valid = JSON.stringify(
  applicantWebhook(newApplicantId(), "applicantReviewed", "completed", Date.now(), "RED"),
);

describe("POST /webhooks/sumsub, property-based, in process", () => {
  it("answers 10,000 fuzzed bodies and digests identically, storing nothing", async () => {
    // The algorithm header is right; the digest is fuzzed (wrong, other secrets, SHA1 refused).
    const headers = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.constant(payloadDigest(valid, "another-secret")),
      fc.constant(payloadDigest(`${valid}\n`, SECRET)),
    );
    const answers = await distinctAnswers(
      url("/webhooks/sumsub"),
      "X-Payload-Digest",
      fuzzedBodies(valid),
      headers,
      10_000,
      { "X-Payload-Digest-Alg": "HMAC_SHA256_HEX" },
    );
    expect(answers).toEqual([REJECTED]);
    expect(all).toEqual([]);
    expect(log.lines.filter((l) => l.level !== "warn")).toEqual([]);
    expect(log.text()).not.toMatch(/Jane|private|blurred|someone/);
  }, 120_000);

  it("refuses the right digest under a missing, unknown or refused algorithm header", async () => {
    const post = async (headers: Record<string, string>) => {
      const res = await fetch(url("/webhooks/sumsub"), { method: "POST", body: valid, headers });
      return `${res.status} ${res.headers.get("content-type")} ${await res.text()}`;
    };
    const digest = payloadDigest(valid, SECRET);
    for (const alg of [undefined, "HMAC_MD5_HEX", "hmac_sha256_hex"]) {
      expect(
        await post({ "X-Payload-Digest": digest, ...(alg ? { "X-Payload-Digest-Alg": alg } : {}) }),
      ).toBe(REJECTED);
    }
    const sha1 = payloadDigest(valid, SECRET, "HMAC_SHA1_HEX");
    expect(await post({ "X-Payload-Digest": sha1, "X-Payload-Digest-Alg": "HMAC_SHA1_HEX" })).toBe(
      REJECTED,
    );
    expect(all).toEqual([]);
  });
});
