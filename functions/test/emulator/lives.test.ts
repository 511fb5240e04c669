import { Timestamp } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { KITS, type Sent } from "../support/kits";
import {
  allPaths,
  callFunction,
  connectToEmulators,
  documents,
  drained,
  erasing,
  eventually,
  signedInUser,
  writtenSince,
} from "./support";
import { answers, linkingOf, postTo, secretOf, verificationOf } from "./support/lives";

// A verification's life on the emulators, run once per registered provider through its kit: the
// order and the repeats of its deliveries, its decisions reaching the user, what never links it,
// and what is refused. A provider's own suite keeps only its quirks. The lives run on ids the
// API stand-in never created: it answers a verification it created as the webhooks so far left
// it, dated now, which a life sent in a burst would see half-way.
const ctx = connectToEmulators();
const { verification, trail, userRecord, claim, claimBecomes, erasureSettles } = documents(ctx);

const post = (sent: Sent) => postTo(ctx.base, sent);
const now = () => Math.floor(Date.now() / 1000);
/** The audit entries of deliveries: the check queue's API answers (`api_…`) may come between. */
const delivered = async (id: string) =>
  (await trail(id)).filter((entry) => !entry.startsWith("api_"));
/** Another secret of the same length (Passbase's is a 32-byte key). */
const otherSecret = (secret: string) => secret.split("").reverse().join("");

describe.each(KITS)("$id: a verification's life on the emulators", (kit) => {
  it.each([
    ["in order", (sent: Sent[]) => sent],
    ["in reverse", (sent: Sent[]) => [...sent].reverse()],
    ["shuffled, each twice", (sent: Sent[]) => [...sent, ...sent].sort(() => Math.random() - 0.5)],
  ])(
    "ends approved, storing nothing personal, whatever the order: %s",
    async (_name, order) => {
      const id = kit.newId();
      const { sent, kept, holds } = kit.life(id, secretOf(kit));
      const answers = [];
      for (const delivery of order(sent)) answers.push((await post(delivery)).status);
      expect(new Set(answers)).toEqual(new Set([200]));
      const doc = await verification(id);
      expect(doc).toMatchObject({ provider: kit.id, status: "approved", ...holds });
      expect(await delivered(id)).toHaveLength(kept);
      expect(JSON.stringify(doc)).not.toMatch(kit.personalData);
    },
    60_000,
  );

  it("takes the same deliveries concurrently, each twice", async () => {
    const id = kit.newId();
    const { sent, kept } = kit.life(id, secretOf(kit));
    // 4 at a time on the one document.
    const limit = pLimit(4);
    const answers = await Promise.all(
      [...sent, ...sent].reverse().map((delivery) => limit(() => post(delivery))),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await verification(id)).toMatchObject({ status: "approved" });
    expect(await delivered(id)).toHaveLength(kept);
  }, 60_000);

  it("revokes the claim when a later decision declines", async () => {
    const user = await signedInUser(ctx.auth);
    const id = await verificationOf(kit, user);
    const t = now() - 600;
    await answers(kit, id, "approved");
    expect((await post(kit.decide(id, secretOf(kit), "approved", t))).status).toBe(200);
    await claimBecomes(user.uid, true);
    await answers(kit, id, "declined");
    expect((await post(kit.decide(id, secretOf(kit), "declined", t + 300))).status).toBe(200);
    expect(await verification(id)).toMatchObject({ status: "declined" });
    await claimBecomes(user.uid, false);
  }, 60_000);

  it("writes nothing for a delivery signed with another secret: one uniform 400", async () => {
    const before = await allPaths(ctx.db);
    const id = kit.newId();
    expect(await post(kit.decide(id, otherSecret(secretOf(kit)), "approved", now()))).toEqual({
      status: 400,
      text: '{"error":"invalid webhook"}',
    });
    expect(writtenSince(before, await allPaths(ctx.db))).toEqual([]);
  }, 60_000);

  it("erases its verification here and at the provider when the user asks", async () => {
    const user = await signedInUser(ctx.auth);
    const id = await verificationOf(kit, user);
    await answers(kit, id, "approved");
    expect((await post(kit.decide(id, secretOf(kit), "approved", now() - 300))).status).toBe(200);
    await claimBecomes(user.uid, true);
    // The decision's details are stored first: the queue is quiet for it before the erasure.
    await eventually(
      () => verification(id),
      (doc) => doc.detailsPending === false,
    );
    erasing(user.uid);
    const res = await callFunction("eraseVerificationData", {}, await user.idToken());
    expect([res.status, res.body.result]).toEqual([200, { erased: 1 }]);
    const { erasure } = (await erasureSettles(id)) as { erasure: Record<string, unknown> };
    expect(erasure).toMatchObject({
      state: "done",
      reason: "requested",
      outcome: kit.erased.outcome,
    });
    if (kit.erased.stillHeld) expect(erasure.stillHeld).toMatch(kit.erased.stillHeld);
    else expect(erasure.stillHeld).toBeUndefined();
    expect(await verification(id)).toEqual({
      provider: kit.id,
      erasedAt: expect.any(Timestamp) as Timestamp,
      erasure: expect.any(Object) as object,
    });
    expect(await claim(user.uid)).toBeUndefined();
  }, 90_000);

  const { abandon } = kit;
  if (abandon) {
    it("keeps an approval when it is abandoned afterwards, and takes a replay as a duplicate", async () => {
      const user = await signedInUser(ctx.auth);
      const id = await verificationOf(kit, user);
      const t = now() - 600;
      const approved = kit.decide(id, secretOf(kit), "approved", t);
      expect((await post(approved)).text).toBe('{"received":true,"outcome":"applied"}');
      expect((await post(abandon(id, secretOf(kit), t + 500))).text).toBe(
        '{"received":true,"outcome":"recorded"}',
      );
      expect((await post(approved)).text).toBe('{"received":true,"outcome":"duplicate"}');
      expect(await verification(id)).toMatchObject({ status: "approved" });
      expect(
        await eventually(
          async () => [await userRecord(user.uid), await claim(user.uid)],
          ([r, c]) => c === true && (r as { status?: string } | undefined)?.status === "approved",
        ),
      ).toEqual([
        { key: id, status: "approved", reviewedAt: Timestamp.fromMillis(t * 1000) },
        true,
      ]);
    }, 60_000);
  }

  const { ignored } = kit;
  if (ignored) {
    it("acknowledges an event it does not act on, writing nothing", async () => {
      const before = await allPaths(ctx.db);
      expect(await post(ignored(kit.newId(), secretOf(kit)))).toEqual({
        status: 200,
        text: '{"received":true,"outcome":"ignored"}',
      });
      expect(writtenSince(before, await allPaths(ctx.db))).toEqual([]);
    }, 60_000);
  }

  const { naming } = kit;
  if (naming) {
    it("never links a verification to the user its webhook names: that value is anyone's", async () => {
      const victim = await signedInUser(ctx.auth);
      const id = kit.newId();
      expect((await post(naming(id, secretOf(kit), victim.uid, now() - 60))).status).toBe(200);
      await drained(ctx);
      const doc = await verification(id);
      expect([doc.status, doc.uid]).toEqual(["approved", undefined]);
      expect([await userRecord(victim.uid), await claim(victim.uid)]).toEqual([
        undefined,
        undefined,
      ]);
    }, 60_000);
  }

  if (linkingOf(kit) === "started") {
    it("starts one verification for concurrent starts by one user", async () => {
      const user = await signedInUser(ctx.auth);
      const ids = await Promise.all([1, 2, 3].map(() => verificationOf(kit, user)));
      expect(new Set(ids).size).toBe(1);
      const mine = await ctx.db.collection("verifications").where("uid", "==", user.uid).get();
      expect(mine.size).toBe(1);
    }, 60_000);
  }
});
