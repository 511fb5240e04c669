import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { apiInquiry, inquiryEvent, postPersonaWebhook } from "../../src/providers/persona/test/kit";
import { createLinkStore } from "../../src/store/links";
import { createStartLeases } from "../../src/store/starts";
import { createAccountCheck } from "../../src/store/users";
import { receiverConfig, testProviders, testStates } from "../support/app";
import { apiSession, postStripeWebhook, sessionEvent } from "../../src/providers/stripe/test/kit";
import {
  callFunction,
  connectToEmulators,
  documents,
  erasing,
  eventually,
  functionLogLines,
  localSecret,
  runSchedule,
  signedInUser,
  standIn,
} from "./support";

const ctx = connectToEmulators();
const { verification, trail, claimBecomes, erasureSettles } = documents(ctx);

const now = () => Math.floor(Date.now() / 1000);
const start = async (idToken: string, provider: string) => {
  const res = await callFunction("startVerification", { provider }, idToken);
  expect(res.status).toBe(200);
  return (res.body.result as { id: string }).id;
};
const sendStripe = (event: object) =>
  postStripeWebhook(ctx.base, event, localSecret("STRIPE_WEBHOOK_SECRET"));
const sendPersona = (event: object) =>
  postPersonaWebhook(ctx.base, event, [localSecret("PERSONA_WEBHOOK_SECRET")]);

/** Stripe's error body: its client reads a failure from it, whatever the status. */
const stripeError = { error: { type: "api_error", message: "Something went wrong" } };

/** A session as Stripe's API answers a redaction. */
const redacted = (id: string) => ({
  ...apiSession(id, "canceled"),
  redaction: { status: "processing" },
});

/** A user with a Stripe session and a Persona inquiry, both decided, linked and shown. */
async function verifiedUser() {
  const user = await signedInUser(ctx.auth);
  const token = await user.idToken();
  const session = await start(token, "stripe");
  const inquiry = await start(token, "persona");
  // What the APIs answer the details tasks: the same decisions.
  await standIn.program(session, [{ status: 200, body: apiSession(session, "verified") }]);
  await standIn.program(inquiry, [{ status: 200, body: apiInquiry(inquiry, "approved") }]);
  const t = now() - 300;
  expect((await sendStripe(sessionEvent(session, "verified", "verified", t))).status).toBe(200);
  const approved = inquiryEvent(inquiry, "approved", "approved", (t + 60) * 1000);
  expect((await sendPersona(approved)).status).toBe(200);
  await claimBecomes(user.uid, true);
  // Both decisions' details are stored: the queue is quiet for these two before the erasure.
  for (const key of [session, inquiry]) {
    await eventually(
      () => verification(key),
      (doc) => doc.detailsPending === false,
    );
  }
  return { user, session, inquiry, approved };
}

/** Every document that names `value`, in its path or its fields, wherever this backend writes. */
async function documentsNaming(db: Firestore, value: string): Promise<string[]> {
  const roots = await db.listCollections();
  const snapshots = await Promise.all([
    ...roots.map((collection) => collection.get()),
    db.collectionGroup("events").get(),
    db.collectionGroup("linkConflicts").get(),
  ]);
  return snapshots
    .flatMap((snapshot) => snapshot.docs)
    .filter((doc) => doc.ref.path.includes(value) || JSON.stringify(doc.data()).includes(value))
    .map((doc) => doc.ref.path);
}

describe("erasure when a user is deleted, on the emulators", () => {
  it("erases the user's record, links and data here, and once at each provider, within 10 s", async () => {
    const { user, session, inquiry } = await verifiedUser();
    const trails = { session: await trail(session), inquiry: await trail(inquiry) };
    erasing(user.uid);
    const deletedAt = Date.now();
    await ctx.auth.deleteUser(user.uid);

    await eventually(
      async () => ({
        user: (await ctx.db.collection("users").doc(user.uid).get()).exists,
        naming: await documentsNaming(ctx.db, user.uid),
        stripe: (await standIn.erasures(session)).length,
        persona: (await standIn.erasures(inquiry)).length,
      }),
      (seen) => !seen.user && seen.naming.length === 0 && seen.stripe === 1 && seen.persona === 1,
      10_000,
    );
    expect(Date.now() - deletedAt).toBeLessThan(10_000);
    const gone = await ctx.auth.getUser(user.uid).then(
      () => "exists",
      (error: unknown) => (error as { code?: string }).code,
    );
    expect(gone).toBe("auth/user-not-found");

    // Tombstones: the provider, when, and the provider's answer; nothing else.
    const stripe = await erasureSettles(session);
    expect(stripe).toEqual({
      provider: "stripe",
      erasedAt: expect.any(Timestamp) as Timestamp,
      erasure: {
        state: "done",
        outcome: "redaction processing",
        reason: "account-deleted",
        attempts: 1,
        at: expect.any(Timestamp) as Timestamp,
      },
    });
    const persona = await erasureSettles(inquiry);
    expect(persona).toEqual({
      provider: "persona",
      erasedAt: expect.any(Timestamp) as Timestamp,
      erasure: {
        state: "done",
        outcome: "redacted",
        stillHeld: expect.stringContaining("Persona account") as string,
        reason: "account-deleted",
        attempts: 1,
        at: expect.any(Timestamp) as Timestamp,
      },
    });
    // The audit trail stays as it was.
    expect(await trail(session)).toEqual(trails.session);
    expect(await trail(inquiry)).toEqual(trails.inquiry);
    expect(await standIn.erasures(session)).toHaveLength(1);
  }, 90_000);

  it("keeps the app's own fields of the user's record, and only those, when the account is deleted", async () => {
    const user = await signedInUser(ctx.auth);
    const record = ctx.db.collection("users").doc(user.uid);
    await record.set({
      nickname: "the app's",
      verification: { key: "vs_gone", status: "approved", reviewedAt: null },
      attempt: { key: "vs_gone", provider: "stripe", status: "pending", at: Timestamp.now() },
    });
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    // The users collection may be the app's own (a kit in a team's project): its data stays.
    await eventually(
      async () => (await record.get()).data(),
      (data) => data?.verification === undefined && data?.attempt === undefined,
    );
    expect((await record.get()).data()).toEqual({ nickname: "the app's" });
  }, 60_000);

  it("lands an erasure through the queue's retries alone when the provider fails twice", async () => {
    const user = await signedInUser(ctx.auth);
    const session = await start(await user.idToken(), "stripe");
    await standIn.programErasure(session, [
      { status: 500, body: stripeError },
      { status: 503, body: stripeError },
      { status: 200, body: redacted(session) },
    ]);
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    const doc = await erasureSettles(session);
    expect(doc.erasure).toMatchObject({
      state: "done",
      outcome: "redaction processing",
      attempts: 3,
    });
    expect(await standIn.erasures(session)).toHaveLength(3);
  }, 60_000);

  it("records a 404 as final, once, and never calls again", async () => {
    const user = await signedInUser(ctx.auth);
    const inquiry = await start(await user.idToken(), "persona");
    await standIn.programErasure(inquiry, [{ status: 404, body: { errors: [] } }]);
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    const doc = await erasureSettles(inquiry);
    expect(doc.erasure).toEqual({
      state: "failed",
      failure: "not-found",
      status: 404,
      message: "HTTP 404: no such inquiry",
      reason: "account-deleted",
      attempts: 1,
      at: expect.any(Timestamp) as Timestamp,
    });
    // Nothing keeps it on reconciliation's schedule, and the queue has nothing to retry.
    expect(doc.nextCheckAt).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await standIn.erasures(inquiry)).toHaveLength(1);
    // One ERROR line, for an operator to act on.
    const refused = functionLogLines(`"ref":"${inquiry.slice(0, 8)}"`, "refused to erase");
    expect(refused).toHaveLength(1);
    expect(refused[0]).toContain('"severity":"ERROR"');
  }, 60_000);

  it("has reconciliation queue again an erasure the provider kept refusing for now", async () => {
    const user = await signedInUser(ctx.auth);
    const session = await start(await user.idToken(), "stripe");
    await standIn.programErasure(session, [{ status: 503, body: stripeError }]);
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    // The queue's five attempts, then the erasure waits for reconciliation.
    const waiting = await eventually(
      () => verification(session),
      (doc) => (doc.erasure as { state?: string } | undefined)?.state === "waiting",
      40_000,
    );
    expect(waiting.erasure).toMatchObject({ failure: "unavailable", status: 503, attempts: 5 });
    expect(waiting.nextCheckAt).toBeInstanceOf(Timestamp);
    await standIn.programErasure(session, [{ status: 200, body: redacted(session) }]);
    await ctx.db
      .collection("verifications")
      .doc(session)
      .update({ nextCheckAt: Timestamp.fromMillis(1_000) });
    expect(await runSchedule("reconcileVerifications")).toBe(200);
    const done = await eventually(
      () => verification(session),
      (doc) => (doc.erasure as { state?: string } | undefined)?.state !== "waiting",
    );
    expect(done.erasure).toMatchObject({ state: "done", attempts: 1 });
    expect(done.nextCheckAt).toBeUndefined();
    expect(await standIn.erasures(session)).toHaveLength(6);
  }, 90_000);

  it("acknowledges a late webhook for an erased verification and stores only its audit entry", async () => {
    const { user, session, inquiry, approved } = await verifiedUser();
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    await erasureSettles(session);
    const tombstone = await erasureSettles(inquiry);
    const trailBefore = await trail(inquiry);

    const late = inquiryEvent(inquiry, "declined", "declined", Date.now() - 1_000);
    expect((await sendPersona(late)).status).toBe(200);
    expect((await sendPersona(approved)).status).toBe(200);
    const stripeLate = sessionEvent(session, "requires_input", "requires_input", now() - 1);
    expect((await sendStripe(stripeLate)).status).toBe(200);

    expect(await trail(inquiry)).toEqual([...trailBefore, late.data.id].sort());
    expect(await verification(inquiry)).toEqual(tombstone);
    expect((await verification(session)).uid).toBeUndefined();
    expect(await documentsNaming(ctx.db, user.uid)).toEqual([]);
  }, 90_000);

  it("erases a verification whose link the user disputed, and what another user's record showed of it", async () => {
    const deleted = await signedInUser(ctx.auth);
    const other = await signedInUser(ctx.auth);
    const key = crypto.randomUUID();
    const ref = ctx.db.collection("verifications").doc(key);
    // Linked to another user, disputed by the deleted one (the identity's metadata named them).
    await ref.set({
      provider: "passbase",
      uid: other.uid,
      linkedBy: "user",
      linkConflict: { by: "metadata", at: Timestamp.now() },
      status: "pending",
    });
    await ref
      .collection("linkConflicts")
      .doc(deleted.uid)
      .set({ by: "metadata", uid: deleted.uid });
    const user = ctx.db.collection("users").doc(other.uid);
    await user.set({
      nickname: "kept",
      verification: { key, status: "pending", reviewedAt: null },
    });

    erasing(deleted.uid);
    await ctx.auth.deleteUser(deleted.uid);
    const doc = await erasureSettles(key);
    expect(doc.erasure).toMatchObject({
      state: "done",
      outcome: "none",
      stillHeld: expect.stringContaining("Passbase") as string,
    });
    expect(doc.uid).toBeUndefined();
    expect(doc.linkConflict).toBeUndefined();
    expect((await ref.collection("linkConflicts").get()).size).toBe(0);
    expect((await user.get()).data()).toEqual({ nickname: "kept" });
    expect(await documentsNaming(ctx.db, deleted.uid)).toEqual([]);
  }, 60_000);
});

describe("erasure at a provider this deployment no longer chooses", () => {
  it("tombstones the verification, keeps the provider's name, and records the erasure as failed", async () => {
    const user = await signedInUser(ctx.auth);
    const key = `acme_${crypto.randomUUID()}`;
    await ctx.db.collection("verifications").doc(key).set({ provider: "acme", uid: user.uid });
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    const doc = await erasureSettles(key);
    expect(doc).toEqual({
      provider: "acme",
      erasedAt: expect.any(Timestamp) as Timestamp,
      erasure: {
        state: "failed",
        failure: "off",
        status: null,
        message: "acme is not among VERIFICATION_PROVIDERS",
        reason: "account-deleted",
        attempts: 1,
        at: expect.any(Timestamp) as Timestamp,
      },
    });
  }, 60_000);
});

describe("eraseVerificationData on the emulators", () => {
  it("refuses an anonymous caller", async () => {
    const res = await callFunction("eraseVerificationData", {});
    expect([res.status, res.body.error?.status]).toEqual([401, "UNAUTHENTICATED"]);
  });

  it("erases the caller's verification data, keeps their account and the app's fields, and lets them start again", async () => {
    const { user, session, inquiry } = await verifiedUser();
    await ctx.db.collection("users").doc(user.uid).update({ nickname: "kept" });
    await ctx.auth.setCustomUserClaims(user.uid, { identityVerified: true, role: "member" });
    erasing(user.uid);
    const res = await callFunction("eraseVerificationData", {}, await user.idToken());
    expect([res.status, res.body.result]).toEqual([200, { erased: 2 }]);

    expect((await ctx.db.collection("users").doc(user.uid).get()).data()).toEqual({
      nickname: "kept",
    });
    expect((await ctx.auth.getUser(user.uid)).customClaims).toEqual({ role: "member" });
    for (const key of [session, inquiry]) {
      expect((await erasureSettles(key)).erasure).toMatchObject({
        state: "done",
        reason: "requested",
      });
      expect(await standIn.erasures(key)).toHaveLength(1);
    }
    expect(
      (await documentsNaming(ctx.db, user.uid)).filter((path) => path !== `users/${user.uid}`),
    ).toEqual([]);

    // A new start makes a new session: the erased one is never linked again.
    const again = await start(await user.idToken(), "stripe");
    expect(again).not.toBe(session);
    expect(await verification(again)).toMatchObject({ uid: user.uid, provider: "stripe" });
    expect((await verification(session)).uid).toBeUndefined();
  }, 90_000);

  it("lets a user whose Sumsub applicant was erased start Sumsub again, as a new applicant", async () => {
    const user = await signedInUser(ctx.auth);
    const first = await start(await user.idToken(), "sumsub");
    erasing(user.uid);
    const erased = await callFunction("eraseVerificationData", {}, await user.idToken());
    expect(erased.body.result).toEqual({ erased: 1 });
    expect((await erasureSettles(first)).erasure).toMatchObject({
      state: "done",
      outcome: "deactivated",
    });
    // Sumsub still holds the deactivated applicant under the uid: the new one is named anew.
    const second = await start(await user.idToken(), "sumsub");
    expect(second).not.toBe(first);
    expect(await verification(second)).toMatchObject({ uid: user.uid, provider: "sumsub" });
    expect((await verification(first)).uid).toBeUndefined();
    // A later start resumes the new applicant, with a token minted for it.
    const res = await callFunction(
      "startVerification",
      { provider: "sumsub" },
      await user.idToken(),
    );
    expect(res.status).toBe(200);
    expect(res.body.result).toMatchObject({
      id: second,
      accessToken: expect.any(String) as string,
    });
  }, 60_000);

  it("never links an erased verification again", async () => {
    const user = await signedInUser(ctx.auth);
    const key = crypto.randomUUID();
    await ctx.db.collection("verifications").doc(key).set({ provider: "passbase", uid: user.uid });
    erasing(user.uid);
    await callFunction("eraseVerificationData", {}, await user.idToken());
    await erasureSettles(key);
    const res = await callFunction("linkVerification", { key }, await user.idToken());
    expect([res.status, res.body.error?.status]).toEqual([400, "FAILED_PRECONDITION"]);
    expect((await verification(key)).uid).toBeUndefined();
  }, 60_000);
});

describe("starts and links ordered against the user's erasure (leases and Auth)", () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const leaseOf = (provider: string, uid: string) =>
    ctx.db.collection("verificationStarts").doc(`${provider}:${uid}`);

  it("lets only a lease's holder release it, and refuses a link under a lease taken over", async () => {
    const uid = `lease-${crypto.randomUUID()}`;
    let clock = Date.now();
    const leases = createStartLeases(() => ctx.db, { leaseMs: 1_000, now: () => clock });
    const first = await leases.acquire(uid, "stripe");
    if (!first) throw new Error("the first caller did not get the lease");
    expect(first).toMatchObject({ uid, provider: "stripe" });
    expect(await leases.acquire(uid, "stripe")).toBeUndefined();
    // The first holder outlived its lease: a second caller takes it over.
    clock += 2_000;
    const second = await leases.acquire(uid, "stripe");
    if (!second) throw new Error("the second caller did not get the expired lease");
    expect(second.holder).not.toBe(first.holder);
    // The first holder's link and release touch nothing of the second's.
    const links = createLinkStore(() => ctx.db, testStates(testProviders(receiverConfig())), {
      checkAfterMinutes: () => 60,
      now: () => clock,
    });
    const key = `vs_${crypto.randomUUID().replaceAll("-", "")}`;
    expect(await links.link(key, uid, "user", "stripe", undefined, first)).toBe("lease-lost");
    expect((await ctx.db.collection("verifications").doc(key).get()).exists).toBe(false);
    await leases.release(first);
    expect((await leaseOf("stripe", uid).get()).get("holder")).toBe(second.holder);
    expect(await links.link(key, uid, "user", "stripe", undefined, second)).toBe("linked");
    await leases.release(second);
    expect((await leaseOf("stripe", uid).get()).exists).toBe(false);
    await ctx.db.collection("verifications").doc(key).delete();
  });

  it("says an account whose tokens were revoked, or that was deleted, may no longer act", async () => {
    const accounts = createAccountCheck(() => ctx.auth);
    const user = await signedInUser(ctx.auth);
    const token = await user.idToken();
    expect(await accounts(token)).toBe("ok");
    // Revocation counts whole seconds after the token's auth_time.
    await sleep(1_100);
    await ctx.auth.revokeRefreshTokens(user.uid);
    expect(await accounts(token)).toBe("refused");
    const other = await signedInUser(ctx.auth);
    const otherToken = await other.idToken();
    await ctx.auth.deleteUser(other.uid);
    erasing(other.uid);
    expect(await accounts(otherToken)).toBe("refused");
  }, 30_000);

  it("refuses a start with a token issued before the user's tokens were revoked, and creates nothing", async () => {
    const user = await signedInUser(ctx.auth);
    const token = await user.idToken();
    await sleep(1_100);
    await ctx.auth.revokeRefreshTokens(user.uid);
    const res = await callFunction("startVerification", { provider: "stripe" }, token);
    // Refused by this backend's own check: the emulator's token verification let it through.
    expect([res.status, res.body.error?.status, res.body.error?.message]).toEqual([
      401,
      "UNAUTHENTICATED",
      "Your sign-in is no longer valid: sign in again.",
    ]);
    expect(await documentsNaming(ctx.db, user.uid)).toEqual([]);
  }, 30_000);

  it("erases the verification of a start in flight when the account is deleted", async () => {
    const user = await signedInUser(ctx.auth);
    const token = await user.idToken();
    // Stripe's create answers 4 s late: the account is deleted while it is in flight.
    await standIn.slowNext(4_000, 2);
    const started = callFunction("startVerification", { provider: "stripe" }, token);
    await eventually(
      async () => (await leaseOf("stripe", user.uid).get()).exists,
      (held) => held,
    );
    await sleep(500);
    erasing(user.uid);
    await ctx.auth.deleteUser(user.uid);
    const res = await started;
    // The start linked before the erasure looked (it waited for the lease): erased with the rest.
    expect(res.status).toBe(200);
    const session = (res.body.result as { id: string }).id;
    expect((await erasureSettles(session)).erasure).toMatchObject({
      state: "done",
      reason: "account-deleted",
    });
    await eventually(
      () => documentsNaming(ctx.db, user.uid),
      (naming) => naming.length === 0,
    );
  }, 60_000);
});
