import fc from "fast-check";
import { parseSumsubWebhook, sumsubEventId } from "../event";
import { canRetry, neutralStatus, sumsubState } from "../observe";
import { checkPayloadDigest, payloadDigest, requestSignature } from "../signature";
import { mergeState, type VerificationState } from "../../../verification/observation";
import { applicantWebhook, newApplicantId } from "./kit";

// Vectors from the provider facts (../shared/providers/sumsub.md), made there with the openssl CLI.
const WEBHOOK = {
  secret: "sumsub_webhook_test_secret",
  body: '{"applicantId":"5cb56e8e0a975a35f333cb83","externalUserId":"uid_test_1","type":"applicantReviewed","reviewStatus":"completed","reviewResult":{"reviewAnswer":"GREEN"},"createdAtMs":"2020-02-21 13:23:19.321"}',
  sha256: "3f7d89a6c7457c35e50cf3e8894784ed2f9581911fa883212c93a4ad23897862",
  sha512:
    "b9e01f73bfb045ca59048c20c6fdc64261d46bae1f9fcd827594dccc4847eb9853200a0e389632ea99afde0bb808f76787798a60ec19b334e77cd15a433acad4",
  sha1: "f5bde9867a6b80f641e0c18941cb14b1aebf9f09",
  withNewline: "098931b79747328ca778d89ec93627c70697e586e456b337d575492040254250",
  otherSecret: "86f5c477cc9bf71446955edbbf9bcfe68c50bea6758d49a9e78e6bccda4ef041",
};
const API_SECRET = "Hej2ch71kG2kTd1iIUDZFNsO5C1lh5Gq";

const check = (
  body: string,
  digest: string | undefined,
  alg: string | undefined,
  options: { secrets?: string[]; allowSha1?: boolean } = {},
) =>
  checkPayloadDigest(
    Buffer.from(body),
    (name) =>
      ({ "x-payload-digest": digest, "x-payload-digest-alg": alg })[name as "x-payload-digest"],
    options.secrets ?? [WEBHOOK.secret],
    options.allowSha1 ?? false,
  );

describe("Sumsub's webhook digest (the facts file's vectors, made by the openssl CLI)", () => {
  it("computes the vectors for SHA256, SHA512 and SHA1", () => {
    expect(payloadDigest(WEBHOOK.body, WEBHOOK.secret)).toBe(WEBHOOK.sha256);
    expect(payloadDigest(WEBHOOK.body, WEBHOOK.secret, "HMAC_SHA512_HEX")).toBe(WEBHOOK.sha512);
    expect(payloadDigest(WEBHOOK.body, WEBHOOK.secret, "HMAC_SHA1_HEX")).toBe(WEBHOOK.sha1);
  });

  it("accepts SHA256 and SHA512, in either case, and SHA1 only when allowed", () => {
    const ok = { ok: true, secretIndex: 0 };
    expect(check(WEBHOOK.body, WEBHOOK.sha256, "HMAC_SHA256_HEX")).toEqual(ok);
    expect(check(WEBHOOK.body, WEBHOOK.sha256.toUpperCase(), "HMAC_SHA256_HEX")).toEqual(ok);
    expect(check(WEBHOOK.body, WEBHOOK.sha512, "HMAC_SHA512_HEX")).toEqual(ok);
    expect(check(WEBHOOK.body, WEBHOOK.sha1, "HMAC_SHA1_HEX")).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(check(WEBHOOK.body, WEBHOOK.sha1, "HMAC_SHA1_HEX", { allowSha1: true })).toEqual(ok);
  });

  it.each([
    ["a trailing newline", `${WEBHOOK.body}\n`, WEBHOOK.sha256, "HMAC_SHA256_HEX"],
    ["the newline's digest", WEBHOOK.body, WEBHOOK.withNewline, "HMAC_SHA256_HEX"],
    ["another secret's digest", WEBHOOK.body, WEBHOOK.otherSecret, "HMAC_SHA256_HEX"],
    ["no algorithm header", WEBHOOK.body, WEBHOOK.sha256, undefined],
    ["an unknown algorithm", WEBHOOK.body, WEBHOOK.sha256, "HMAC_MD5_HEX"],
    ["a digest of another algorithm's length", WEBHOOK.body, WEBHOOK.sha256, "HMAC_SHA512_HEX"],
    ["a digest that is not hex", WEBHOOK.body, "zz".repeat(32), "HMAC_SHA256_HEX"],
  ])("refuses %s", (_name, body, digest, alg) => {
    expect(check(body, digest, alg)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses no digest, and accepts either secret of a rotation, saying which", () => {
    expect(check(WEBHOOK.body, undefined, "HMAC_SHA256_HEX")).toEqual({
      ok: false,
      reason: "no-signature",
    });
    expect(
      check(WEBHOOK.body, WEBHOOK.sha256, "HMAC_SHA256_HEX", { secrets: ["next", WEBHOOK.secret] }),
    ).toEqual({ ok: true, secretIndex: 1 });
  });
});

describe("Sumsub's request signature (the docs' example and the facts file's vectors)", () => {
  it.each([
    [
      1607551635,
      "POST",
      "/resources/accessTokens?userId=cfd20712-24a2-4c7d-9ab0-146f3c142335&levelName=basic-kyc-level&ttlInSecs=600",
      "",
      "1e1856be1c1e1ff113e5664acac6b423ffefe04ad42ff36567622ef56f62c4b1",
    ],
    [
      1700000000,
      "POST",
      "/resources/applicants?levelName=basic-kyc-level",
      '{"externalUserId":"uid_test_1"}',
      "3384faafa8c031f596cc957eb3bd2a59a457963b612164d1e8bfe9d011d30562",
    ],
    [
      1700000000,
      "POST",
      "/resources/accessTokens/sdk",
      '{"userId":"uid_test_1","levelName":"basic-kyc-level","ttlInSecs":600}',
      "d2e71c0a124c298b34e7f8e817d3904bcec8a9b9a4ff091c3e90740d90088369",
    ],
    [
      1700000000,
      "GET",
      "/resources/applicants/-;externalUserId=uid_test_1/one",
      "",
      "67aed1566d0f68eeed66a069a7b53294b4aa9dd0cde0d021c7ab219e1157324b",
    ],
    [
      1700000000,
      "GET",
      "/resources/applicants/5cb56e8e0a975a35f333cb83/status",
      "",
      "22b0748f82eb98948168805deb79e58b1e27b9cad085594a45474ee90876a33f",
    ],
  ])("signs %d %s %s", (ts, method, path, body, signature) => {
    expect(requestSignature(API_SECRET, ts, method, path, body)).toBe(signature);
  });
});

describe("reading Sumsub's webhooks", () => {
  it("reads the vector's webhook, its time a fixed-width UTC string", () => {
    const parsed = parseSumsubWebhook(JSON.parse(WEBHOOK.body));
    expect(parsed).toEqual({
      ok: true,
      webhook: {
        applicantId: "5cb56e8e0a975a35f333cb83",
        type: "applicantReviewed",
        reviewStatus: "completed",
        reviewResult: { reviewAnswer: "GREEN" },
        createdAtMs: Date.parse("2020-02-21T13:23:19.321Z"),
      },
    });
  });

  it("keeps no comment text, and names a delivery by its correlationId, else by its body", () => {
    const body = applicantWebhook(newApplicantId(), "applicantReviewed", "completed", 0, "RED");
    const parsed = parseSumsubWebhook(body);
    if (!parsed.ok) throw new Error("not read");
    expect(JSON.stringify(parsed)).not.toMatch(/Jane|private|blurred|someone/);
    expect(sumsubEventId(parsed.webhook, Buffer.from("x"))).toBe(body.correlationId);
    const { correlationId: _dropped, ...without } = body;
    const bare = parseSumsubWebhook(without);
    if (!bare.ok) throw new Error("not read");
    expect(sumsubEventId(bare.webhook, Buffer.from("a"))).not.toBe(
      sumsubEventId(bare.webhook, Buffer.from("b")),
    );
  });

  it.each([
    ["an applicant id that is no id", { ...JSON.parse(WEBHOOK.body), applicantId: "x" }],
    ["a time that is a number", { ...JSON.parse(WEBHOOK.body), createdAtMs: 1582291399321 }],
    [
      "a time in another format",
      { ...JSON.parse(WEBHOOK.body), createdAtMs: "2020-02-21T13:23:19Z" },
    ],
    ["no type", { ...JSON.parse(WEBHOOK.body), type: undefined }],
  ])("refuses %s", (_name, body) => {
    expect(parseSumsubWebhook(body)).toMatchObject({ ok: false });
  });
});

const word = (
  providerStatus: string,
  reviewAnswer: "GREEN" | "RED" | null = null,
  reviewRejectType: "FINAL" | "RETRY" | null = null,
) => ({ providerStatus, reviewAnswer, reviewRejectType });

describe("Sumsub's statuses", () => {
  it.each([
    [word("completed", "GREEN"), "approved", false],
    [word("completed", "RED", "RETRY"), "declined", true],
    [word("completed", "RED", "FINAL"), "declined", false],
    [word("completed", "RED"), "declined", false],
    [word("completed"), undefined, false],
    [word("init"), "pending", false],
    [word("pending"), "pending", false],
    [word("queued"), "pending", false],
    [word("onHold", "GREEN"), "pending", false],
    [word("reset"), "pending", false],
    [word("deactivated"), "expired", false],
    [word("deleted"), "expired", false],
    [word("awaitingSomething"), undefined, false],
  ])("maps %j to %s (canRetry %s)", (w, status, retry) => {
    expect([neutralStatus(w), canRetry(w)]).toEqual([status, retry]);
  });
});

/** Sumsub's words in time order: a retry, an approval, a later rejection, a deactivation. */
const life = [
  ["pending", word("pending"), 0],
  ["red", word("completed", "RED", "RETRY"), 60_000],
  ["again", word("pending"), 300_000],
  ["green", word("completed", "GREEN"), 400_000],
  ["onhold", word("onHold"), 500_000],
  ["final", word("completed", "RED", "FINAL"), 3_600_000],
  ["off", word("deactivated"), 7_200_000],
] as const;

const fold = (steps: readonly (typeof life)[number][]) =>
  steps.reduce<VerificationState | undefined>((state, [id, w, at]) => {
    const observation = sumsubState(w, at, id);
    return observation ? mergeState(state, observation) : state;
  }, undefined);

describe("the merge over Sumsub's words", () => {
  it("ends declined by the later rejection, which the deactivation does not replace", () => {
    expect(fold(life)).toMatchObject({
      status: "declined",
      providerStatus: "completed",
      eventId: "final",
    });
  });

  it("converges to one state for any order, with repeats", () => {
    const expected = fold(life);
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...life, ...life], { minLength: life.length * 2 }),
        (order) => {
          expect(fold(order)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("lets a reset erase a decision, an end only a review in progress, and RED win a tie", () => {
    const green = sumsubState(word("completed", "GREEN"), 1000, "g");
    const reset = sumsubState(word("reset"), 2000, "r");
    const off = sumsubState(word("deactivated"), 3000, "d");
    const red = sumsubState(word("completed", "RED", "RETRY"), 1000, "z");
    const redFinal = sumsubState(word("completed", "RED", "FINAL"), 1000, "a");
    const pending = sumsubState(word("pending"), 500, "p");
    if (!green || !reset || !off || !red || !redFinal || !pending) throw new Error("no state");
    expect(mergeState(green, reset)).toBe(reset);
    expect(mergeState(green, off)).toBe(green);
    expect(mergeState(pending, off)).toBe(off);
    expect(mergeState(green, red)).toBe(red);
    expect(mergeState(red, redFinal)).toBe(redFinal);
  });
});
