import fc from "fast-check";
import { randomUUID } from "node:crypto";
import { parseVeriffWebhook } from "../event";
import { decisionEventId, decisionRecording, progressRecording } from "../module";
import { canRetry, neutralStatus, veriffOrder } from "../observe";
import { planAttempt } from "../../../verification/user-record";
import { checkVeriffSignature, veriffSignature } from "../signature";
import type { Recording } from "../../contract";
import { mergeState, type VerificationState } from "../../../verification/observation";
import { decisionWebhook, eventWebhook } from "./kit";

// Vectors from the provider facts (../shared/providers/veriff.md), computed there with the openssl
// CLI: Veriff's own documentation's mock data, and webhook-shaped bodies without personal data.
const MOCK = {
  secret: "abcdef12-abcd-abcd-abcd-abcdef012345",
  body: '{"verification":{"callback":"https://veriff.com","person":{"firstName":"John","lastName":"Smith"},"document":{"type":"PASSPORT","country":"EE"},"vendorData":"unique id of a user","timestamp":"2016-05-19T08:30:25.597Z"}}',
  signature: "6af6d95822e19e9cc707aec55395d8d363ba2c7bc4625bc04ebeca0c7bf8cd67",
  endUserSignature: "0dcab73ddd20062616d104231c7439657546a5c24e4691977da93bb854c31e25",
  sessionId: "aea9ba6d-1b47-47fc-a4fc-f72b6d3584a7",
  sessionSignature: "895cb3fd31139d89aeb7b263682e15479ab57651e70591256ad2c14fde4950dd",
};
const OURS = {
  secret: "veriff-test-shared-secret",
  decision:
    '{"status":"success","verification":{"id":"12df6045-3846-3e45-946a-14fa6136d78b","attemptId":"00bca969-b53a-4fad-b065-874d41a7b2b8","vendorData":"fbuid_test_0001","endUserId":"c1de400b-1877-4284-8494-071d37916197","status":"approved","code":9001,"reason":null,"reasonCode":null,"acceptanceTime":"2024-11-06T07:00:00.000000Z","decisionTime":"2024-11-06T07:17:36.916Z"}}',
  decisionSignature: "ec581b7dd4c689b8871148ca2daad8d7187db0d9ae8e01f49baa364b57a2eb0b",
  withNewline: "9c079222199c857fe1652a857c8f42fb236b751796328d4ff2c5b05da8b83a5f",
  reserialised: "42b786268b394f258cc02bc153553f706ac10bebe18702f5cb12247bb0175719",
  event:
    '{"id":"12df6045-3846-3e45-946a-14fa6136d78b","attemptId":"00bca969-b53a-4fad-b065-874d41a7b2b8","feature":"selfid","code":7002,"action":"submitted","vendorData":"fbuid_test_0001","endUserId":"c1de400b-1877-4284-8494-071d37916197"}',
  eventSignature: "eb8f69ffbb5f221c93cf9ce6768f4a592ef0ef0aba895287b16b3386f81601d6",
  decisionGet: "725db0b32e1958fb8ffb34d4d83180fd0d6ecf8210941b07cef54c1f0d4e5da8",
};

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];
const check = (body: string, values: Record<string, string>, secrets = [OURS.secret]) =>
  checkVeriffSignature(Buffer.from(body), headers(values), secrets);

describe("Veriff signatures (the facts file's vectors, made by the openssl CLI)", () => {
  it("computes Veriff's documented mock signatures, over bodies and over a session id", () => {
    expect(veriffSignature(MOCK.body, MOCK.secret)).toBe(MOCK.signature);
    const endUser = MOCK.body.replace("unique id of a user", "unique id of the end-user");
    expect(veriffSignature(endUser, MOCK.secret)).toBe(MOCK.endUserSignature);
    expect(veriffSignature(MOCK.sessionId, MOCK.secret)).toBe(MOCK.sessionSignature);
    expect(veriffSignature("12df6045-3846-3e45-946a-14fa6136d78b", OURS.secret)).toBe(
      OURS.decisionGet,
    );
  });

  it("accepts a decision and an event signed in X-HMAC-SIGNATURE or its VRF- variant, any case", () => {
    const ok = { ok: true, secretIndex: 0 };
    expect(check(OURS.decision, { "x-hmac-signature": OURS.decisionSignature })).toEqual(ok);
    expect(check(OURS.event, { "vrf-hmac-signature": OURS.eventSignature })).toEqual(ok);
    const upper = OURS.decisionSignature.toUpperCase();
    expect(check(OURS.decision, { "x-hmac-signature": upper })).toEqual(ok);
    expect(
      check(OURS.decision, {
        "x-hmac-signature": OURS.decisionSignature,
        "vrf-hmac-signature": upper,
      }),
    ).toEqual(ok);
  });

  it.each([
    ["a trailing newline", `${OURS.decision}\n`, OURS.decisionSignature],
    ["the newline's own signature over the body without it", OURS.decision, OURS.withNewline],
    ["a re-serialised body's signature", OURS.decision, OURS.reserialised],
    ["another body's signature", OURS.event, OURS.decisionSignature],
    ["a signature that is not hex", OURS.decision, "zz".repeat(32)],
    ["a short signature", OURS.decision, OURS.decisionSignature.slice(2)],
  ])("refuses %s", (_name, body, signature) => {
    expect(check(body, { "x-hmac-signature": signature })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("refuses no signature, two that differ, and more than 5 secrets", () => {
    expect(check(OURS.decision, {})).toEqual({ ok: false, reason: "no-signature" });
    expect(
      check(OURS.decision, {
        "x-hmac-signature": OURS.decisionSignature,
        "vrf-hmac-signature": OURS.withNewline,
      }),
    ).toEqual({ ok: false, reason: "bad-signature" });
    const six = [...Array<string>(5).fill("other"), OURS.secret];
    expect(check(OURS.decision, { "x-hmac-signature": OURS.decisionSignature }, six)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("accepts either secret of a rotation, saying which", () => {
    expect(
      check(OURS.decision, { "x-hmac-signature": OURS.decisionSignature }, ["next", OURS.secret]),
    ).toEqual({ ok: true, secretIndex: 1 });
  });
});

describe("reading Veriff's webhooks", () => {
  it("reads a decision webhook, keeping no personal data", () => {
    const parsed = parseVeriffWebhook(JSON.parse(OURS.decision));
    expect(parsed).toEqual({
      kind: "decision",
      decision: {
        id: "12df6045-3846-3e45-946a-14fa6136d78b",
        attemptId: "00bca969-b53a-4fad-b065-874d41a7b2b8",
        status: "approved",
        code: 9001,
        reasonCode: null,
        acceptanceTime: Date.parse("2024-11-06T07:00:00.000Z"),
        decisionTime: Date.parse("2024-11-06T07:17:36.916Z"),
      },
    });
    const full = parseVeriffWebhook(decisionWebhook(randomUUID(), "declined", Date.now()));
    expect(JSON.stringify(full)).not.toMatch(
      /Jane|Doe|1990|X1234567|ZQ7731942|Zebedee|Quillfeather|someone|203\.0/,
    );
  });

  it("reads an event webhook, and a session id in capitals as its lowercase form", () => {
    const id = randomUUID();
    expect(parseVeriffWebhook(eventWebhook(id.toUpperCase(), "started"))).toMatchObject({
      kind: "event",
      sessionId: id,
      action: "started",
      code: 7001,
    });
  });

  it.each([
    ["neither kind", { hello: "world" }],
    ["a decision without an id", { status: "success", verification: { status: "approved" } }],
    ["a session id that is no UUID", eventWebhook("not-a-uuid", "started")],
    ["an event without a code", { ...eventWebhook(randomUUID(), "started"), code: "7001" }],
    [
      "a decision time that is no time",
      {
        ...decisionWebhook(randomUUID(), "approved", null),
        verification: { id: randomUUID(), status: "approved", decisionTime: "yesterday" },
      },
    ],
  ])("refuses %s", (_name, body) => {
    expect(parseVeriffWebhook(body)).toMatchObject({ kind: "invalid" });
  });
});

describe("Veriff's statuses", () => {
  it.each([
    ["approved", "approved", false],
    ["declined", "declined", false],
    ["resubmission_requested", "declined", true],
    ["review", "pending", false],
    ["started", "pending", false],
    ["submitted", "pending", false],
    ["expired", "expired", true],
    ["abandoned", "expired", true],
    ["inflow_completed", undefined, false],
  ])("maps %s to %s (canRetry %s)", (stage, status, retry) => {
    expect([neutralStatus(stage), canRetry(stage)]).toEqual([status, retry]);
  });

  it("records nothing for a status or an action this version does not know", () => {
    const id = randomUUID();
    const odd = parseVeriffWebhook(decisionWebhook(id, "inflow_completed", Date.now()));
    if (odd.kind !== "decision") throw new Error("not read");
    expect(decisionRecording(odd.decision, "e")).toBeUndefined();
    expect(progressRecording(id, null, "paused", 7009, RECEIVED)).toBeUndefined();
  });
});

/** When the suites' event webhooks were received: Veriff states no time in them. */
const RECEIVED = Date.parse("2024-11-06T08:00:00.000Z");

/** A realistic session: two attempts, a resubmission request, then an approval. */
function history(id: string) {
  const t = Date.parse("2024-11-06T07:00:00.000Z");
  const [first, second] = [randomUUID(), randomUUID()];
  return [
    eventWebhook(id, "started", first),
    eventWebhook(id, "submitted", first),
    decisionWebhook(id, "resubmission_requested", t + 120_000, first),
    eventWebhook(id, "started", second),
    eventWebhook(id, "submitted", second),
    decisionWebhook(id, "approved", t + 520_000, second),
    // The session expires a week later: that never replaces the decision.
    decisionWebhook(id, "abandoned", t + 7 * 24 * 3600_000, second),
  ];
}

const recordingOf = (body: object): Recording | undefined => {
  const parsed = parseVeriffWebhook(body);
  if (parsed.kind === "event") {
    return progressRecording(
      parsed.sessionId,
      parsed.attemptId,
      parsed.action,
      parsed.code,
      RECEIVED,
    );
  }
  if (parsed.kind !== "decision") throw new Error("invalid");
  return decisionRecording(parsed.decision, decisionEventId(parsed.decision));
};

const fold = (bodies: object[]) =>
  bodies.reduce<VerificationState | undefined>((state, body) => {
    const observation = recordingOf(body)?.state?.observation;
    return observation ? mergeState(state, observation) : state;
  }, undefined);

describe("the merge over Veriff's webhooks", () => {
  const id = randomUUID();
  const life = history(id);

  it("ends approved by the second attempt, which the week's expiry never replaces", () => {
    expect(fold(life)).toMatchObject({ status: "approved", providerStatus: "approved" });
  });

  it("converges to one state for any order, with repeats and replays", () => {
    const expected = fold(life);
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...life, ...life, ...life], { minLength: life.length * 3 }),
        (order) => {
          expect(fold(order)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("lets no progress event and no expiry replace a decision, and a later decision win", () => {
    const [started, , resubmission, , submitted, approved, abandoned] = life;
    if (!started || !resubmission || !submitted || !approved || !abandoned)
      throw new Error("short");
    expect(fold([resubmission, submitted])).toMatchObject({
      status: "declined",
      providerStatus: "resubmission_requested",
    });
    expect(fold([approved, abandoned, started])).toMatchObject({ status: "approved" });
    expect(fold([abandoned, started])).toMatchObject({ status: "expired" });
    expect(fold([approved, resubmission])).toMatchObject({ status: "approved" });
  });
});

describe("a Veriff attempt after a decision", () => {
  it("is dated when its event webhook was received, for the user's record only", () => {
    const id = randomUUID();
    const decided = Date.parse("2024-11-06T07:02:00.000Z");
    const resubmission = recordingOf(
      decisionWebhook(id, "resubmission_requested", decided, randomUUID()),
    )?.state?.observation;
    const started = progressRecording(id, randomUUID(), "started", 7001, RECEIVED)?.state;
    if (!resubmission || !started) throw new Error("not read");
    expect(started.observation.at).toBe(Math.floor(RECEIVED / 1000));
    expect(started.fields.receivedAt).toEqual(new Date(RECEIVED));
    // The merge's order ignores that time: progress never replaces a decision.
    expect(started.observation.order).toEqual(veriffOrder("started", null));
    expect(mergeState(resubmission, started.observation)).toBe(resubmission);
    // The user's record shows the new attempt: it came after the decision it follows.
    const attempt = planAttempt(
      { key: id, uid: "u1", by: "user", conflict: false, state: started.observation },
      undefined,
      resubmission.at,
    );
    expect(attempt).toEqual({
      key: id,
      provider: "veriff",
      status: "pending",
      at: Math.floor(RECEIVED / 1000),
    });
  });
});
