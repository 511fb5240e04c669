import fc from "fast-check";
import Stripe from "stripe";
import { parseStripeEvent, type Session } from "../event";
import { openStripeDelivery } from "../delivery";
import { canRetry, neutralStatus, observeSession } from "../observe";
import { mergeState, type VerificationState } from "../../../verification/observation";
import vectors from "./stripe-vectors.json";

const body = Buffer.from(vectors.body);
const at = (seconds: number) => () => seconds * 1000;
const open = (header: string | undefined, secret = vectors.secret, now = at(vectors.t)) =>
  openStripeDelivery(body, header, secret, Stripe.webhooks, now);

describe("Stripe signatures (vectors made by the openssl CLI)", () => {
  it("refuses a header of more than 5 signatures before any HMAC, though one is valid", () => {
    const [t, valid] = vectors.headers.valid.split(",");
    const decoy = vectors.headers.wrongSecret.split(",")[1];
    const header = (count: number) =>
      [t, ...Array<string>(count - 1).fill(decoy ?? ""), valid].join(",");
    expect(open(header(5))).toMatchObject({ ok: true });
    expect(open(header(6))).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("accepts a valid signature and reads the session, without its personal data", () => {
    const opened = open(vectors.headers.valid);
    expect(opened).toEqual({
      ok: true,
      delivery: {
        kind: "session",
        eventId: "evt_1Vtest",
        type: "identity.verification_session.verified",
        created: 1_700_000_000,
        session: {
          id: "vs_1Vtest",
          object: "identity.verification_session",
          status: "verified",
          type: "document",
          livemode: false,
          last_error: null,
          redaction: null,
        },
      },
    });
  });

  it("accepts a header with two v1 values, as during a secret roll", () => {
    expect(open(vectors.headers.rolled).ok).toBe(true);
  });

  it("accepts a signature up to 300 s old, and refuses it after", () => {
    expect(open(vectors.headers.valid, vectors.secret, at(vectors.t + 300)).ok).toBe(true);
    expect(open(vectors.headers.valid, vectors.secret, at(vectors.t + 301))).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it.each([
    ["a wrong secret", vectors.headers.wrongSecret, vectors.secret],
    ["the right signature under another secret", vectors.headers.valid, "whsec_other"],
    ["only a v0 (test-mode) signature", vectors.headers.v0only, vectors.secret],
    ["a header that is not a signature", "nonsense", vectors.secret],
  ])("refuses %s", (_name, header, secret) => {
    expect(open(header, secret)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("refuses a missing header, an empty body and a body changed after signing", () => {
    expect(open(undefined)).toEqual({ ok: false, reason: "no-signature" });
    expect(
      openStripeDelivery(Buffer.alloc(0), vectors.headers.valid, vectors.secret, Stripe.webhooks),
    ).toEqual({ ok: false, reason: "empty" });
    const changed = Buffer.from(vectors.body.replace('"verified"', '"canceled"'));
    expect(
      openStripeDelivery(
        changed,
        vectors.headers.valid,
        vectors.secret,
        Stripe.webhooks,
        at(vectors.t),
      ),
    ).toEqual({ ok: false, reason: "bad-signature" });
  });
});

describe("reading a Stripe event", () => {
  const event = (type: string, object: unknown) => ({
    id: "evt_1",
    object: "event",
    type,
    created: 1,
    livemode: true,
    data: { object },
  });
  const session = { id: "vs_1", object: "identity.verification_session", status: "processing" };

  it("sets aside an event about another object of the account", () => {
    expect(parseStripeEvent(event("payment_intent.succeeded", { id: "pi_1" }))).toEqual({
      kind: "unrelated",
      eventId: "evt_1",
      type: "payment_intent.succeeded",
      created: 1,
    });
  });

  it("reads a session event of a type this version does not know", () => {
    expect(
      parseStripeEvent(event("identity.verification_session.new_kind", session)),
    ).toMatchObject({
      kind: "session",
      type: "identity.verification_session.new_kind",
    });
  });

  it.each([
    ["no id", { ...event("x.y", {}), id: undefined }],
    [
      "a session without a vs_ id",
      event("identity.verification_session.verified", { ...session, id: "x" }),
    ],
    [
      "an unknown session status",
      event("identity.verification_session.verified", { ...session, status: "odd" }),
    ],
    ["a v2 thin event", { ...event("x.y", {}), object: "v2.core.event" }],
  ])("refuses %s, naming paths, never values", (_name, json) => {
    const parsed = parseStripeEvent(json);
    expect(parsed.kind).toBe("invalid");
    expect(JSON.stringify(parsed)).not.toContain('"odd"');
  });
});

describe("Stripe's status, mapped", () => {
  it.each([
    ["verified", null, "approved"],
    ["processing", null, "pending"],
    ["requires_input", null, "pending"],
    ["requires_input", { code: "document_expired" }, "declined"],
    ["canceled", null, "expired"],
  ] as const)("%s (last_error %j) is %s", (status, lastError, neutral) => {
    expect(neutralStatus({ status, last_error: lastError })).toBe(neutral);
  });

  it.each([
    ["requires_input", { code: "document_expired" }, true],
    ["requires_input", null, false],
    ["canceled", null, false],
    ["verified", null, false],
  ] as const)("%s (last_error %j) lets the user retry: %s", (status, lastError, retry) => {
    expect(canRetry({ status, last_error: lastError })).toBe(retry);
  });
});

describe("the merge over Stripe's observations", () => {
  type Step = { eventId: string; created: number; session: Pick<Session, "status" | "last_error"> };
  // A realistic life: created, a failed attempt, a retry, verified, then a manual override back.
  const life: Step[] = [
    { eventId: "evt_a", created: 100, session: { status: "requires_input", last_error: null } },
    { eventId: "evt_b", created: 160, session: { status: "processing", last_error: null } },
    {
      eventId: "evt_c",
      created: 190,
      session: { status: "requires_input", last_error: { code: "selfie_face_mismatch" } },
    },
    { eventId: "evt_d", created: 300, session: { status: "processing", last_error: null } },
    { eventId: "evt_e", created: 330, session: { status: "verified", last_error: null } },
    // Stripe sometimes makes two Event objects for one change.
    { eventId: "evt_f", created: 330, session: { status: "verified", last_error: null } },
    {
      eventId: "evt_g",
      created: 900,
      session: { status: "requires_input", last_error: { code: "document_unverified_other" } },
    },
  ];
  const fold = (steps: readonly Step[]) =>
    steps.reduce<VerificationState | undefined>(
      (state, s) => mergeState(state, observeSession(s.session, s.created, s.eventId)),
      undefined,
    );

  // What Stripe's API answers at the end: the session as the last change left it.
  const last = life[life.length - 1];

  it("ends in the same state for any order, with repeats: the API's final answer", () => {
    const deliveries = fc
      .array(fc.constantFrom(...life), { minLength: 0, maxLength: 10 })
      .chain((repeats) =>
        fc.shuffledSubarray([...life, ...repeats], { minLength: life.length + repeats.length }),
      );
    fc.assert(
      fc.property(deliveries, (shuffled) => {
        const end = fold(shuffled);
        expect(end).toEqual(fold(life));
        expect([end?.providerStatus, end?.status]).toEqual([
          last?.session.status,
          last && neutralStatus(last.session),
        ]);
      }),
      { numRuns: 2000 },
    );
  });

  it("ends declined by the override, which revokes the approval", () => {
    expect(fold(life)).toMatchObject({
      status: "declined",
      providerStatus: "requires_input",
      at: 900,
    });
    expect(fold(life.slice(0, 6))).toMatchObject({ status: "approved", eventId: "evt_f" });
  });

  it("lets a later attempt win over a failed one, and a tie in the second go to the later stage", () => {
    const [, , failed, retried, verified] = life;
    if (!failed || !retried || !verified) throw new Error("the life is too short");
    expect(fold([failed, retried])).toMatchObject({ status: "pending", eventId: "evt_d" });
    const tied = (eventId: string, session: Step["session"]): Step => ({
      ...verified,
      eventId,
      session,
    });
    const processing = tied("evt_z", { status: "processing", last_error: null });
    const fresh = tied("evt_y", { status: "requires_input", last_error: null });
    // processing can only follow a fresh requires_input, and verified only processing.
    for (const [earlier, later] of [
      [processing, verified],
      [fresh, processing],
      [fresh, verified],
    ] as const) {
      expect(fold([earlier, later])).toEqual(fold([later, earlier]));
      expect(fold([earlier, later])).toMatchObject({ eventId: later.eventId });
    }
  });

  it("gives a true tie, two stages neither of which can follow the other, to the conservative status", () => {
    const verified = life[4];
    if (!verified) throw new Error("the life is too short");
    const tied = (eventId: string, session: Step["session"]): Step => ({
      ...verified,
      eventId,
      session,
    });
    const failed = tied("evt_a", { status: "requires_input", last_error: { code: "x" } });
    const canceled = tied("evt_b", { status: "canceled", last_error: null });
    expect(fold([verified, failed])).toMatchObject({ status: "declined" });
    expect(fold([failed, verified])).toMatchObject({ status: "declined" });
    expect(fold([canceled, verified])).toMatchObject({ status: "expired" });
    expect(fold([failed, canceled])).toMatchObject({ status: "expired" });
  });
});
