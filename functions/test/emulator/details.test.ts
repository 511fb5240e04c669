import { PERSON } from "../../scripts/dev/person.cjs";
import { Timestamp, type DocumentData } from "firebase-admin/firestore";
import { getFunctions } from "firebase-admin/functions";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { checkTaskId, detailsTaskId } from "../../src/background/plan";
import { createCheckQueue } from "../../src/background/queue";
import {
  apiIdentity,
  encryptedBody,
  lifecycle,
  millis,
  type Payload,
} from "../../src/providers/passbase/test/kit";
import {
  callFunction,
  connectToEmulators,
  documents,
  drained,
  eventually,
  functionParam,
  localSecret,
  postWebhook,
  runSchedule,
  settled,
  signedInUser,
  standIn,
} from "./support";

const ctx = connectToEmulators();

const send = async (payload: Payload) => {
  expect((await postWebhook(ctx.base, encryptedBody(payload, ctx.secret))).status).toBe(200);
};
const link = (key: string, idToken: string) => callFunction("linkVerification", { key }, idToken);
const { verification, sources, makeDue } = documents(ctx);
const identityOf = (key: string, done: (identity: DocumentData | undefined) => boolean) =>
  eventually(async () => (await verification(key)).identity as DocumentData | undefined, done);
const userStatus = async (uid: string) =>
  (await ctx.db.collection("users").doc(uid).get()).get("verification.status") as unknown;

const PERSONAL = [
  PERSON.documentNumber,
  "1990-02-14",
  "jane.doe@example.com",
  "Jane",
  "Doe",
  PERSON.givenName,
  PERSON.familyName,
];

/** `npm run reconcile` as an operator runs it, against the emulators. */
function reconcile(...args: string[]): { status: number | null; output: string; result: unknown } {
  const run = spawnSync(
    process.execPath,
    [join(__dirname, "..", "..", "scripts", "dev", "reconcile.mjs"), "--emulator", ...args],
    { encoding: "utf8" },
  );
  // The script's answer is its last line on stdout; the log lines come before it.
  const last = run.stdout.trim().split("\n").pop() ?? "null";
  return { status: run.status, output: `${run.stdout}${run.stderr}`, result: JSON.parse(last) };
}

describe("identity details from the Passbase API, after a review", () => {
  it("stores a minimised projection, once, with the API key sent, and updates the user", async () => {
    const user = await signedInUser(ctx.auth);
    const { completed, reviewed } = lifecycle();
    await standIn.program(reviewed.key, [
      { status: 200, body: apiIdentity(reviewed.key, "approved") },
    ]);
    await link(reviewed.key, await user.idToken());
    await send(completed);
    await send(reviewed);

    const identity = await identityOf(reviewed.key, (i) => i?.fetchedAt !== undefined);
    expect(identity).toEqual({
      status: "approved",
      score: 0.91,
      resourceTypes: ["PASSPORT"],
      metadata: null,
      eventId: (await verification(reviewed.key)).eventId as string,
      fetchedAt: expect.any(Timestamp) as Timestamp,
    });
    const doc = await verification(reviewed.key);
    expect(doc.detailsPending).toBe(false);
    for (const personal of PERSONAL) expect(JSON.stringify(doc)).not.toContain(personal);
    expect(
      await eventually(
        () => userStatus(user.uid),
        (s) => s === "approved",
      ),
    ).toBe("approved");

    // Writes that are not a new decision fetch nothing more.
    await send(reviewed);
    await link(reviewed.key, await user.idToken());
    await ctx.db.collection("verifications").doc(reviewed.key).update({ note: "ops" });
    await drained(ctx);
    const requests = await standIn.requests(reviewed.key);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers["x-api-key"]).toBe(localSecret("PASSBASE_SECRET_API_KEY"));
  }, 60_000);

  it("fetches again for a new decision (a re-review)", async () => {
    const { reviewed } = lifecycle();
    await standIn.program(reviewed.key, [
      { status: 200, body: apiIdentity(reviewed.key, "approved") },
    ]);
    await send(reviewed);
    await identityOf(reviewed.key, (i) => i?.status === "approved");
    await standIn.program(reviewed.key, [
      { status: 200, body: apiIdentity(reviewed.key, "declined") },
    ]);
    await send({ ...reviewed, status: "declined", updated: reviewed.updated + 60 });
    expect(await identityOf(reviewed.key, (i) => i?.status === "declined")).toMatchObject({
      status: "declined",
    });
    expect(await standIn.requests(reviewed.key)).toHaveLength(2);
  }, 60_000);

  it("queues a decision's details once, however often the trigger runs for it", async () => {
    const queue = createCheckQueue(() => getFunctions(ctx.app), "us-central1", "checkVerification");
    const task = { key: randomUUID(), eventId: "a-decision" };
    const id = detailsTaskId(task.key, task.eventId);
    expect(await queue.enqueue(task, id)).toBe("queued");
    expect(await queue.enqueue(task, id)).toBe("exists");
  });

  it("runs a decision's details and a reconciliation check of it at once, and stores once", async () => {
    // The local stack's CHECK_MAX_CONCURRENT is 4, not 1, so that tasks for one verification
    // still race here: each answer is held long enough for both lookups to be in flight (the
    // second may need a worker of its own, which the emulator starts in a second or two).
    const HELD_MS = 5000;
    const { reviewed } = lifecycle();
    const queue = createCheckQueue(() => getFunctions(ctx.app), "us-central1", "checkVerification");
    await standIn.program(reviewed.key, [
      { status: 200, body: apiIdentity(reviewed.key, "approved"), delayMs: HELD_MS },
    ]);
    await send(reviewed);
    expect(await queue.enqueue({ key: reviewed.key }, checkTaskId(reviewed.key, 1))).toBe("queued");
    const identity = await identityOf(reviewed.key, (i) => i?.fetchedAt !== undefined);
    await drained(ctx);

    const [first, second, ...more] = await standIn.requests(reviewed.key);
    expect(more).toHaveLength(0);
    // The second lookup arrived while the first was still held: two checks in flight at once.
    expect(Math.abs((second?.at ?? Infinity) - (first?.at ?? 0))).toBeLessThan(HELD_MS);
    const doc = await verification(reviewed.key);
    expect(identity).toMatchObject({ status: "approved", eventId: doc.eventId as string });
    expect(doc.identity).toEqual(identity);
    expect(doc.status).toBe("approved");
    expect(doc.detailsPending).toBe(false);
  }, 60_000);

  it("stores the details through the queue's retries when the API fails 3 times first", async () => {
    const { reviewed } = lifecycle();
    await standIn.program(reviewed.key, [
      { status: 503 },
      { status: 503 },
      { status: 503 },
      { status: 200, body: apiIdentity(reviewed.key, "approved") },
    ]);
    await send(reviewed);
    expect(await identityOf(reviewed.key, (i) => i?.fetchedAt !== undefined)).toMatchObject({
      status: "approved",
    });
    expect(await standIn.requests(reviewed.key)).toHaveLength(4);
    // No reconciliation was involved: no look was due, and the trail holds the webhook alone.
    const doc = await verification(reviewed.key);
    expect([doc.detailsPending, doc.nextCheckAt, doc.checks]).toEqual([
      false,
      undefined,
      undefined,
    ]);
    expect(await sources(reviewed.key)).toEqual(["webhook"]);
  }, 60_000);

  it("updates the user within 3 s of the webhook while the identity API is down, run after run", async () => {
    const delays: number[] = [];
    for (let run = 0; run < 5; run++) {
      const user = await signedInUser(ctx.auth);
      const { reviewed } = lifecycle();
      await standIn.program(reviewed.key, [{ status: 503 }]);
      await link(reviewed.key, await user.idToken());
      const sent = Date.now();
      await send(reviewed);
      await eventually(
        async () => [
          await userStatus(user.uid),
          (await ctx.auth.getUser(user.uid)).customClaims?.identityVerified as unknown,
        ],
        ([status, claim]) => status === "approved" && claim === true,
        10_000,
      );
      delays.push(Date.now() - sent);
    }
    expect(delays.filter((ms) => ms > 3000)).toEqual([]);
  }, 120_000);

  it.each([
    [401, "unauthorized", "HTTP 401: check PASSBASE_SECRET_API_KEY"],
    [404, "not-found", "HTTP 404: no such identity"],
  ])(
    "records a %d on the verification once, without a retry or blocking the user update",
    async (status, failure, message) => {
      const user = await signedInUser(ctx.auth);
      const { reviewed } = lifecycle();
      // A retry would get the details: that they never land shows there was none.
      await standIn.program(reviewed.key, [
        { status },
        { status: 200, body: apiIdentity(reviewed.key, "approved") },
      ]);
      await link(reviewed.key, await user.idToken());
      await send(reviewed);
      const identity = await identityOf(reviewed.key, (i) => i?.error !== undefined);
      const decision = (await verification(reviewed.key)).eventId as string;
      expect(identity).toEqual({
        error: {
          failure,
          status,
          message,
          attempts: 1,
          eventId: decision,
          at: expect.any(Timestamp) as Timestamp,
        },
      });
      expect((await verification(reviewed.key)).detailsPending).toBe(true);
      expect(
        await eventually(
          () => userStatus(user.uid),
          (s) => s === "approved",
        ),
      ).toBe("approved");

      // A marker: a task queued after the failure, whose one retry comes after the same
      // backoff a retry of the failed task would have waited.
      const { reviewed: marker } = lifecycle();
      await standIn.program(marker.key, [
        { status: 503 },
        { status: 200, body: apiIdentity(marker.key, "approved") },
      ]);
      await send(marker);
      await identityOf(marker.key, (i) => i?.fetchedAt !== undefined);
      expect(await standIn.requests(reviewed.key)).toHaveLength(1);
      expect((await verification(reviewed.key)).identity).toEqual(identity);
    },
    60_000,
  );

  it("records malformed JSON as a failure", async () => {
    const { reviewed } = lifecycle();
    await standIn.program(reviewed.key, [{ status: 200, raw: "{not json" }]);
    await send(reviewed);
    expect(await identityOf(reviewed.key, (i) => i?.error !== undefined)).toMatchObject({
      error: { failure: "malformed", status: 200 },
    });
  }, 60_000);

  it.each(["a/b", "..", "__bad__"])(
    "ignores a metadata uid of %j, which is no user id, and the user can still link",
    async (badUid) => {
      const user = await signedInUser(ctx.auth);
      const { reviewed } = lifecycle();
      await standIn.program(reviewed.key, [
        { status: 200, body: apiIdentity(reviewed.key, "approved", { uid: badUid }) },
      ]);
      await send(reviewed);
      await identityOf(reviewed.key, (i) => i?.fetchedAt !== undefined);
      expect((await verification(reviewed.key)).uid).toBeUndefined();

      expect((await link(reviewed.key, await user.idToken())).status).toBe(200);
      expect(
        await eventually(
          () => userStatus(user.uid),
          (s) => s === "approved",
        ),
      ).toBe("approved");
    },
    60_000,
  );

  it("ignores a metadata uid that names no user of Firebase Auth", async () => {
    const { reviewed } = lifecycle();
    await standIn.program(reviewed.key, [
      {
        status: 200,
        body: apiIdentity(reviewed.key, "approved", { uid: `ghost-${randomUUID()}` }),
      },
    ]);
    await send(reviewed);
    await identityOf(reviewed.key, (i) => i?.fetchedAt !== undefined);
    expect((await verification(reviewed.key)).uid).toBeUndefined();
  }, 60_000);

  it("never lets a verification linked through metadata replace the user's own decision", async () => {
    const victim = await signedInUser(ctx.auth);
    const own = lifecycle(randomUUID(), "approved").reviewed;
    await standIn.program(own.key, [{ status: 200, body: apiIdentity(own.key, "approved") }]);
    await link(own.key, await victim.idToken());
    await send(own);
    await eventually(
      () => userStatus(victim.uid),
      (s) => s === "approved",
    );

    // Someone else's verification, later and declined, whose metadata names the victim.
    const hinted = { ...lifecycle(randomUUID(), "declined").reviewed, updated: own.updated + 600 };
    await standIn.program(hinted.key, [
      { status: 200, body: apiIdentity(hinted.key, "declined", { uid: victim.uid }) },
    ]);
    await send(hinted);
    expect(
      await eventually(
        async () => (await verification(hinted.key)).linkedBy as unknown,
        (by) => by === "metadata",
      ),
    ).toBe("metadata");

    // A marker: triggers run one at a time, in order, so once this one's user is synced, the
    // hinted verification's sync has run too.
    const marker = await signedInUser(ctx.auth);
    const { reviewed: markerReview } = lifecycle();
    await link(markerReview.key, await marker.idToken());
    await send(markerReview);
    await eventually(
      () => userStatus(marker.uid),
      (s) => s === "approved",
    );

    const record: unknown = (await ctx.db.collection("users").doc(victim.uid).get()).get(
      "verification",
    );
    expect(record).toMatchObject({ key: own.key, status: "approved" });
    expect(
      await eventually(
        async () => (await ctx.auth.getUser(victim.uid)).customClaims,
        (c) => c?.age_over_18 !== undefined,
      ),
    ).toEqual({ identityVerified: true, age_over_18: true, age_over_21: true });
  }, 90_000);

  it("withholds the claim when the link and the metadata name different users", async () => {
    const linker = await signedInUser(ctx.auth);
    const named = await signedInUser(ctx.auth);
    const { reviewed } = lifecycle();
    await standIn.program(reviewed.key, [
      { status: 200, body: apiIdentity(reviewed.key, "approved", { uid: named.uid }) },
    ]);
    await link(reviewed.key, await linker.idToken());
    await send(reviewed);

    const conflict = await eventually(
      async () => (await verification(reviewed.key)).linkConflict as DocumentData | undefined,
      (c) => c !== undefined,
    );
    expect(Object.keys(conflict ?? {}).sort()).toEqual(["at", "by"]);
    expect(conflict).toMatchObject({ by: "metadata" });
    const disputed = await ctx.db
      .collection("verifications")
      .doc(reviewed.key)
      .collection("linkConflicts")
      .get();
    expect(disputed.docs.map((d) => d.id)).toEqual([named.uid]);
    expect((await verification(reviewed.key)).uid).toBe(linker.uid);
    expect(
      await eventually(
        async () => (await ctx.auth.getUser(linker.uid)).customClaims?.identityVerified as unknown,
        (claim) => claim === false,
      ),
    ).toBe(false);
    expect(
      await eventually(
        () => userStatus(linker.uid),
        (s) => s === "pending",
      ),
    ).toBe("pending");
    expect((await ctx.auth.getUser(named.uid)).customClaims).toBeUndefined();
  }, 60_000);

  it("links an unlinked verification to the user named in the metadata", async () => {
    const user = await signedInUser(ctx.auth);
    const { reviewed } = lifecycle();
    await standIn.program(reviewed.key, [
      { status: 200, body: apiIdentity(reviewed.key, "approved", { uid: user.uid }) },
    ]);
    await send(reviewed);
    expect(
      await eventually(
        () => userStatus(user.uid),
        (s) => s === "approved",
      ),
    ).toBe("approved");
    expect((await verification(reviewed.key)).uid).toBe(user.uid);
    // The facts land with the details, after the decision's claim: their age claims follow.
    const claims = await eventually(
      async () => (await ctx.auth.getUser(user.uid)).customClaims,
      (c) => c?.identityVerified === true && c.age_over_18 !== undefined,
    );
    expect(claims).toEqual({ identityVerified: true, age_over_18: true, age_over_21: true });
  }, 60_000);
});

describe("reconciliation", () => {
  /** The API's decision is applied as a review at its time, audited, and reaches the user. */
  async function expectHealed(key: string, uid: string, decision: string) {
    const doc = await eventually(
      () => verification(key),
      (d) => d.status === decision,
    );
    expect(doc.event).toBe("VERIFICATION_REVIEWED");
    expect(doc.updated).toEqual(Timestamp.fromMillis(1_700_003_600_000));
    expect(await sources(key)).toEqual(["reconciliation", "webhook"]);
    expect(
      await eventually(
        () => userStatus(uid),
        (s) => s === decision,
      ),
    ).toBe(decision);
  }

  it("heals a verification whose REVIEWED webhook never arrived (npm run reconcile -- --key)", async () => {
    const user = await signedInUser(ctx.auth);
    const { completed } = lifecycle();
    const key = completed.key;
    await link(key, await user.idToken());
    await send(completed);
    await standIn.program(key, [{ status: 200, body: apiIdentity(key, "declined") }]);

    const run = reconcile("--key", key);
    expect(run.status).toBe(0);
    expect(run.result).toEqual({ key, outcome: "queued" });

    await expectHealed(key, user.uid, "declined");
    expect(await identityOf(key, (i) => i?.status === "declined")).toMatchObject({
      status: "declined",
    });
    const doc = await verification(key);
    expect([doc.detailsPending, doc.nextCheckAt]).toEqual([false, undefined]);
  }, 60_000);

  it("heals a verification linked before any webhook, when none ever comes", async () => {
    const user = await signedInUser(ctx.auth);
    const key = randomUUID();
    await link(key, await user.idToken());
    expect((await verification(key)).nextCheckAt).toBeInstanceOf(Timestamp);
    await standIn.program(key, [{ status: 200, body: apiIdentity(key, "approved") }]);
    await makeDue(key);

    expect(await runSchedule("reconcileVerifications")).toBe(200);

    const doc = await eventually(
      () => verification(key),
      (d) => d.identity !== undefined && d.status === "approved",
    );
    expect([doc.event, doc.detailsPending, doc.nextCheckAt]).toEqual([
      "VERIFICATION_REVIEWED",
      false,
      undefined,
    ]);
    expect(await sources(key)).toEqual(["reconciliation"]);
    expect(
      await eventually(
        () => userStatus(user.uid),
        (s) => s === "approved",
      ),
    ).toBe("approved");
  }, 60_000);

  it("writes nothing when it looks again at what it healed", async () => {
    const { completed } = lifecycle();
    const key = completed.key;
    await send(completed);
    await standIn.program(key, [{ status: 200, body: apiIdentity(key, "approved") }]);
    reconcile("--key", key);
    await identityOf(key, (i) => i?.fetchedAt !== undefined);
    await settled("checkVerification");
    const ref = ctx.db.collection("verifications").doc(key);
    const picture = async () =>
      [await ref.get(), ...(await ref.collection("events").get()).docs].map((d) =>
        d.updateTime?.valueOf(),
      );
    const before = await picture();
    // The healing decision's own details task may ask too (it finds the details stored).
    const asked = (await standIn.requests(key)).length;

    expect(reconcile("--key", key).result).toEqual({ key, outcome: "queued" });
    await eventually(
      () => standIn.requests(key),
      (requests) => requests.length > asked,
    );
    await settled("checkVerification");
    expect(await picture()).toEqual(before);
  }, 60_000);

  it("runs as its schedule runs it, and heals a verification that is due", async () => {
    const user = await signedInUser(ctx.auth);
    const { completed } = lifecycle();
    const key = completed.key;
    await link(key, await user.idToken());
    await send(completed);
    await standIn.program(key, [{ status: 200, body: apiIdentity(key, "approved") }]);
    await makeDue(key);

    expect(await runSchedule("reconcileVerifications")).toBe(200);

    await expectHealed(key, user.uid, "approved");
  }, 90_000);

  it("stores the details after a failed fetch once the API has recovered", async () => {
    const { reviewed } = lifecycle();
    const key = reviewed.key;
    await standIn.program(key, [{ status: 404 }]);
    await send(reviewed);
    await identityOf(key, (i) => i?.error !== undefined);
    await standIn.program(key, [{ status: 200, body: apiIdentity(key, "approved") }]);
    await makeDue(key);

    expect(await runSchedule("reconcileVerifications")).toBe(200);

    const identity = await identityOf(key, (i) => i?.fetchedAt !== undefined);
    expect(identity).toMatchObject({
      status: "approved",
      eventId: (await verification(key)).eventId as string,
    });
    expect(identity?.error).toBeUndefined();
    const doc = await verification(key);
    expect([doc.detailsPending, doc.detailsPendingSince, doc.nextCheckAt]).toEqual([
      false,
      undefined,
      undefined,
    ]);
  }, 60_000);

  it("reaches a newer verification behind 2 x RECONCILE_LIMIT linked ones that never resolve", async () => {
    const limit = Number(functionParam("RECONCILE_LIMIT"));
    expect(limit).toBeGreaterThan(0);
    // Linked verifications the API never resolves (it answers 404), all due before the newer one.
    const owner = await signedInUser(ctx.auth);
    const stuck = Array.from({ length: 2 * limit }, () => lifecycle().completed);
    for (const [i, completed] of stuck.entries()) {
      await link(completed.key, await owner.idToken());
      await send(completed);
      await makeDue(completed.key, 10_000 + i);
    }
    const user = await signedInUser(ctx.auth);
    const newer = lifecycle().completed;
    await link(newer.key, await user.idToken());
    await send(newer);
    await standIn.program(newer.key, [{ status: 200, body: apiIdentity(newer.key, "approved") }]);
    await makeDue(newer.key, 20_000);

    // Each run takes the oldest due and moves them on, so the third one reaches the newer.
    for (let run = 0; run < 3; run++) {
      expect(await runSchedule("reconcileVerifications")).toBe(200);
    }

    await expectHealed(newer.key, user.uid, "approved");
    const checks = await Promise.all(
      stuck.map(async ({ key }) => (await verification(key)).checks as unknown),
    );
    expect(checks).toEqual(stuck.map(() => 1));
    const next = (await verification(stuck[0]?.key ?? "")).nextCheckAt as Timestamp;
    expect(next.toMillis()).toBeGreaterThan(Date.now());
  }, 180_000);

  it("takes a user's verification first, before 2 x RECONCILE_LIMIT nobody linked, each of which it looks at once", async () => {
    const limit = Number(functionParam("RECONCILE_LIMIT"));
    // Verifications nobody links (a stranger's, say), due long before the user's.
    const strangers = Array.from({ length: 2 * limit }, () => lifecycle().completed);
    for (const [i, completed] of strangers.entries()) {
      await send(completed);
      expect((await verification(completed.key)).unlinkedCheckAt).toBeInstanceOf(Timestamp);
      await makeDue(completed.key, 1_000 + i);
    }
    // The user's, whose decision never came.
    const user = await signedInUser(ctx.auth);
    const { completed } = lifecycle();
    const key = completed.key;
    await link(key, await user.idToken());
    await send(completed);
    await standIn.program(key, [{ status: 200, body: apiIdentity(key, "approved") }]);
    await makeDue(key, 5_000_000);

    expect(await runSchedule("reconcileVerifications")).toBe(200);
    await expectHealed(key, user.uid, "approved");

    // The rest of each run's limit goes to the strangers' one look, oldest first.
    for (let run = 0; run < 3; run++) {
      expect(await runSchedule("reconcileVerifications")).toBe(200);
    }
    // Each stranger's look reaches the API once its task is dispatched; then nothing more runs.
    await eventually(
      () => Promise.all(strangers.map(async ({ key: id }) => (await standIn.requests(id)).length)),
      (counts) => counts.every((count) => count >= 1),
    );
    await settled("checkVerification");
    const looks = await Promise.all(
      strangers.map(async ({ key: id }) => {
        const doc = await verification(id);
        const asked: number = (await standIn.requests(id)).length;
        return [doc.checks, doc.unlinkedCheckAt, doc.nextCheckAt, asked] as unknown[];
      }),
    );
    expect(looks).toEqual(strangers.map(() => [1, undefined, undefined, 1]));
    // A new word from the provider schedules nothing more while nobody links them.
    const [first] = strangers;
    if (!first) throw new Error("no strangers");
    await send({ ...first, updated: first.updated + 60, processed: first.processed + 60 });
    const doc = await verification(first.key);
    expect([doc.updated, doc.checks, doc.unlinkedCheckAt, doc.nextCheckAt]).toEqual([
      Timestamp.fromMillis(millis(first.updated + 60)),
      1,
      undefined,
      undefined,
    ]);
    // Linking one puts it on the linked schedule.
    const linker = await signedInUser(ctx.auth);
    await link(first.key, await linker.idToken());
    const linked = await verification(first.key);
    expect([linked.checks, linked.nextCheckAt instanceof Timestamp]).toEqual([0, true]);
  }, 180_000);

  it("gives a verification up after RECONCILE_MAX_CHECKS looks, once", async () => {
    const maxChecks = Number(functionParam("RECONCILE_MAX_CHECKS"));
    const { completed } = lifecycle();
    const user = await signedInUser(ctx.auth);
    await link(completed.key, await user.idToken());
    await send(completed);
    const ref = ctx.db.collection("verifications").doc(completed.key);
    await ref.update({ checks: maxChecks, nextCheckAt: Timestamp.fromMillis(1_000) });

    expect(await runSchedule("reconcileVerifications")).toBe(200);

    const doc = (await ref.get()).data() ?? {};
    expect(doc.givenUpAt).toBeInstanceOf(Timestamp);
    expect([doc.nextCheckAt, doc.checks]).toEqual([undefined, maxChecks]);
    const givenUpAt = doc.givenUpAt as Timestamp;
    expect(await runSchedule("reconcileVerifications")).toBe(200);
    expect(((await ref.get()).get("givenUpAt") as Timestamp).isEqual(givenUpAt)).toBe(true);
    expect(await standIn.requests(completed.key)).toEqual([]);
  }, 60_000);
});
