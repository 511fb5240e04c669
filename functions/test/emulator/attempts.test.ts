import { Timestamp } from "firebase-admin/firestore";
import {
  postPersonaWebhook,
  inquiryEvent,
  kit as personaKit,
} from "../../src/providers/persona/test/kit";
import { postStripeWebhook, sessionEvent } from "../../src/providers/stripe/test/kit";
import {
  callFunction,
  connectToEmulators,
  documents,
  drained,
  eventually,
  localSecret,
  signedInUser,
  standIn,
} from "./support";

const ctx = connectToEmulators();
const { userRecord, claim, claimBecomes } = documents(ctx);

type User = { uid: string; idToken: () => Promise<string> };
/** startVerification as the app calls it: the new verification, linked to the caller. */
const start = async (user: User, provider: "stripe" | "persona") => {
  const answer = await callFunction("startVerification", { provider }, await user.idToken());
  expect(answer.status).toBe(200);
  return (answer.body.result as { id: string }).id;
};
const persona = async (id: string, name: string, status: string, atMs: number) => {
  const sent = inquiryEvent(id, name, status, atMs);
  expect(await postPersonaWebhook(ctx.base, sent, [localSecret("PERSONA_WEBHOOK_SECRET")])).toEqual(
    {
      status: 200,
      text: '{"received":true,"outcome":"applied"}',
    },
  );
};
const stripe = async (id: string, type: string, status: string, at: number, error?: string) => {
  const sent = sessionEvent(id, type, status, at, error ?? null);
  const answer = await postStripeWebhook(ctx.base, sent, localSecret("STRIPE_WEBHOOK_SECRET"));
  expect(answer.status).toBe(200);
};
const attemptOf = async (uid: string) =>
  (await ctx.db.collection("users").doc(uid).get()).get("attempt") as unknown;
const seconds = (s: number) => Timestamp.fromMillis(s * 1000);
/** An inquiry as Persona's API returns it with sparse fields. */
const apiInquiry = (id: string, status: string) => ({
  data: {
    type: "inquiry",
    id,
    attributes: { status, "decisioned-at": null, "redacted-at": null },
    relationships: {
      "inquiry-template": { data: { type: "inquiry-template", id: "itmpl_local" } },
    },
  },
});

/** A user approved through Persona a minute ago: the record and the claim show it. */
async function approvedThroughPersona(): Promise<{ user: User; inquiry: string; at: number }> {
  const user = await signedInUser(ctx.auth);
  const inquiry = await start(user, "persona");
  // What Persona's API says of it once approved, for the decision's check task.
  await standIn.program(inquiry, [{ status: 200, body: apiInquiry(inquiry, "approved") }]);
  const at = Math.floor(Date.now() / 1000) - 60;
  await persona(inquiry, "approved", "approved", at * 1000);
  await claimBecomes(user.uid, true);
  expect(
    await eventually(
      () => userRecord(user.uid),
      (r) => (r as { status?: string } | undefined)?.status === "approved",
    ),
  ).toMatchObject({ key: inquiry, status: "approved", reviewedAt: seconds(at) });
  return { user, inquiry, at };
}

/** Once all is settled, the user's record still shows the approval, and the claim holds. */
async function expectApprovalKept(user: User, inquiry: string, at: number) {
  await drained(ctx);
  // The facts land with the details, whose trigger may follow the drained queue.
  const record = await eventually(
    () => userRecord(user.uid),
    (shown) => (shown as { facts?: unknown } | undefined)?.facts !== undefined,
  );
  expect(record).toEqual({
    key: inquiry,
    status: "approved",
    reviewedAt: seconds(at),
    // The approval's facts, from Persona's government-ID verification.
    facts: { ...personaKit.facts, factsAt: expect.any(Timestamp) as Timestamp },
    documentExpired: false,
  });
  expect(await claim(user.uid)).toBe(true);
}

describe("attempts and decisions, across providers, on the emulators", () => {
  it("keeps a Persona approval when a later Stripe session is canceled, and shows the attempt", async () => {
    const { user, inquiry, at } = await approvedThroughPersona();
    const session = await start(user, "stripe");
    const canceledAt = at + 30;
    await stripe(session, "canceled", "canceled", canceledAt);
    expect(
      await eventually(
        () => attemptOf(user.uid),
        (a) => a !== undefined,
      ),
    ).toEqual({ key: session, provider: "stripe", status: "expired", at: seconds(canceledAt) });
    await expectApprovalKept(user, inquiry, at);
    expect((await ctx.db.collection("verifications").doc(session).get()).data()).toMatchObject({
      provider: "stripe",
      status: "expired",
      canRetry: false,
    });
  }, 60_000);

  it("leaves the approval alone while a second attempt is still pending", async () => {
    const { user, inquiry, at } = await approvedThroughPersona();
    const second = await start(user, "persona");
    expect(second).not.toBe(inquiry);
    await persona(second, "started", "pending", (at + 30) * 1000);
    expect(
      await eventually(
        () => attemptOf(user.uid),
        (a) => a !== undefined,
      ),
    ).toEqual({ key: second, provider: "persona", status: "pending", at: seconds(at + 30) });
    await expectApprovalKept(user, inquiry, at);
  }, 60_000);

  it("still revokes on a decline newer than the approval, and the attempt it was goes", async () => {
    const { user, at } = await approvedThroughPersona();
    const session = await start(user, "stripe");
    // What Stripe's API says of the session once the check fails, for the decline's check task.
    await standIn.program(session, [
      {
        status: 200,
        body: {
          id: session,
          object: "identity.verification_session",
          status: "requires_input",
          type: "document",
          livemode: false,
          last_error: { code: "selfie_face_mismatch" },
        },
      },
    ]);
    await stripe(session, "processing", "processing", at + 10);
    await eventually(
      () => attemptOf(user.uid),
      (a) => (a as { key?: string } | undefined)?.key === session,
    );
    await stripe(session, "requires_input", "requires_input", at + 20, "selfie_face_mismatch");
    await claimBecomes(user.uid, false);
    expect(await userRecord(user.uid)).toEqual({
      key: session,
      status: "declined",
      reviewedAt: seconds(at + 20),
    });
    await drained(ctx);
    expect(await attemptOf(user.uid)).toBeUndefined();
    expect((await ctx.db.collection("verifications").doc(session).get()).data()).toMatchObject({
      status: "declined",
      canRetry: true,
    });
  }, 60_000);
});
