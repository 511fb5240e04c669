import { Timestamp } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import pLimit from "p-limit";
import { createClaimWriter, createUserSync, MAX_CLAIMS_BYTES } from "../../src/store/users";
import { receiverConfig, testProviders, testStates } from "../support/app";
import {
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
  postWebhook,
  signedInUser,
} from "./support";

const ctx = connectToEmulators();

const send = async (payload: Payload) => {
  const res = await postWebhook(ctx.base, encryptedBody(payload, ctx.secret));
  expect(res.status).toBe(200);
};
const link = (key: string, idToken?: string) => callFunction("linkVerification", { key }, idToken);
const { userRecord } = documents(ctx);
const claims = async (uid: string) => (await ctx.auth.getUser(uid)).customClaims;

/** Waits for the user's record and claim to reach the decision, then checks they stay there. */
async function expectDecision(uid: string, reviewed: Payload) {
  const expected = {
    key: reviewed.key,
    status: reviewed.status,
    reviewedAt: Timestamp.fromMillis(millis(reviewed.updated)),
  };
  const matches = (record: unknown) => isDeepStrictEqual(record, expected);
  expect(await eventually(() => userRecord(uid), matches)).toEqual(expected);
  const claim = reviewed.status === "approved";
  expect(
    await eventually(
      () => claims(uid),
      (c) => c?.identityVerified === claim,
    ),
  ).toEqual({
    identityVerified: claim,
  });
  // Late or repeated trigger events must not move it again.
  await drained(ctx);
  expect(await userRecord(uid)).toEqual(expected);
  expect(await claims(uid)).toEqual({ identityVerified: claim });
}

type Step = "link" | "completed" | "reviewed";
const permutations = (steps: Step[]): Step[][] =>
  steps.length <= 1
    ? [steps]
    : steps.flatMap((step, i) =>
        permutations([...steps.slice(0, i), ...steps.slice(i + 1)]).map((rest) => [step, ...rest]),
      );

const orders: Step[][] = [
  ...permutations(["link", "completed", "reviewed"]),
  ["reviewed", "link", "reviewed", "completed", "completed"],
  ["completed", "completed", "link", "reviewed", "link", "reviewed"],
];

describe("linking and the user trigger on the Functions, Firestore and Auth emulators", () => {
  it("ends with the right user record and claim for every order of link, webhooks and repeats", async () => {
    const limit = pLimit(4);
    const scenarios = orders.flatMap((order) =>
      (["approved", "declined"] as const).map((decision) => ({ order, decision })),
    );
    await Promise.all(
      scenarios.map(({ order, decision }) =>
        limit(async () => {
          const user = await signedInUser(ctx.auth);
          const idToken = await user.idToken();
          const { completed, reviewed } = lifecycle(randomUUID(), decision);
          for (const step of order) {
            if (step === "link") expect((await link(completed.key, idToken)).status).toBe(200);
            else await send(step === "completed" ? completed : reviewed);
          }
          await expectDecision(user.uid, reviewed);
        }),
      ),
    );
  }, 180_000);

  it("ends right when the link and both webhooks arrive at the same moment", async () => {
    const user = await signedInUser(ctx.auth);
    const idToken = await user.idToken();
    const { completed, reviewed } = lifecycle(randomUUID(), "declined");
    await Promise.all([
      send(reviewed),
      link(completed.key, idToken),
      send(completed),
      send(reviewed),
      link(completed.key, idToken),
    ]);
    await expectDecision(user.uid, reviewed);
  }, 60_000);

  it("mirrors pending, without a claim, until the review", async () => {
    const user = await signedInUser(ctx.auth);
    const { completed, reviewed } = lifecycle();
    await link(completed.key, await user.idToken());
    await send(completed);
    const pending = { key: completed.key, status: "pending", reviewedAt: null };
    const matches = (r: unknown) => isDeepStrictEqual(r, pending);
    expect(await eventually(() => userRecord(user.uid), matches)).toEqual(pending);
    expect(await claims(user.uid)).toBeUndefined();
    await send(reviewed);
    await expectDecision(user.uid, reviewed);
  }, 60_000);

  it("flips the record and the claim on a re-review, and back", async () => {
    const user = await signedInUser(ctx.auth);
    const { completed, reviewed } = lifecycle();
    await link(completed.key, await user.idToken());
    await send(reviewed);
    await expectDecision(user.uid, reviewed);
    const declined = { ...reviewed, status: "declined", updated: reviewed.updated + 60 };
    await send(declined);
    await expectDecision(user.uid, declined);
    const approvedAgain = { ...reviewed, status: "approved", updated: declined.updated + 60 };
    await send(approvedAgain);
    await expectDecision(user.uid, approvedAgain);
  }, 60_000);

  it("sets the claim before the record shows the decision, both ways", async () => {
    const user = await signedInUser(ctx.auth);
    const { completed, reviewed } = lifecycle();
    const declined = { ...reviewed, status: "declined", updated: reviewed.updated + 60 };
    // Each time the record shows a decision, the claim read right after must already match it.
    const seen: { status: unknown; claim: unknown }[] = [];
    const reads: Promise<void>[] = [];
    const stop = ctx.db
      .collection("users")
      .doc(user.uid)
      .onSnapshot((snapshot) => {
        const status = snapshot.get("verification.status") as unknown;
        if (status !== "approved" && status !== "declined") return;
        reads.push(
          claims(user.uid).then((c) => {
            seen.push({ status, claim: c?.identityVerified });
          }),
        );
      });
    try {
      await link(completed.key, await user.idToken());
      await send(reviewed);
      await expectDecision(user.uid, reviewed);
      await send(declined);
      await expectDecision(user.uid, declined);
    } finally {
      stop();
    }
    await Promise.all(reads);
    expect(seen).toEqual([
      { status: "approved", claim: true },
      { status: "declined", claim: false },
    ]);
  }, 60_000);

  it("keeps the user's other claims and other fields of their user document", async () => {
    const user = await signedInUser(ctx.auth);
    await ctx.auth.setCustomUserClaims(user.uid, { role: "editor" });
    await ctx.db.collection("users").doc(user.uid).set({ displayName: "Ada" });
    const { completed, reviewed } = lifecycle();
    await link(completed.key, await user.idToken());
    await send(reviewed);
    const done = (c: Record<string, unknown> | undefined) => c?.identityVerified === true;
    expect(await eventually(() => claims(user.uid), done)).toEqual({
      role: "editor",
      identityVerified: true,
    });
    await eventually(
      () => userRecord(user.uid),
      (r) => r !== undefined,
    );
    expect((await ctx.db.collection("users").doc(user.uid).get()).get("displayName")).toBe("Ada");
  }, 60_000);

  it("puts the claim on the user's next ID token", async () => {
    const user = await signedInUser(ctx.auth);
    const { reviewed } = lifecycle();
    await link(reviewed.key, await user.idToken());
    await send(reviewed);
    await expectDecision(user.uid, reviewed);
    const [, payload] = (await user.idToken()).split(".");
    const token = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as object;
    expect(token).toMatchObject({ user_id: user.uid, identityVerified: true });
  }, 60_000);

  it("writes nothing more after the record is right, even when unrelated fields change", async () => {
    const user = await signedInUser(ctx.auth);
    const { reviewed } = lifecycle();
    await link(reviewed.key, await user.idToken());
    await send(reviewed);
    await expectDecision(user.uid, reviewed);
    const before = (await ctx.db.collection("users").doc(user.uid).get()).updateTime;
    await ctx.db
      .collection("verifications")
      .doc(reviewed.key)
      .set({ note: "ops" }, { merge: true });
    await send(reviewed);
    await drained(ctx);
    const after = (await ctx.db.collection("users").doc(user.uid).get()).updateTime;
    expect(after?.isEqual(before ?? Timestamp.now())).toBe(true);
  }, 60_000);

  it("keeps a user's newer verification when an older one is decided again", async () => {
    const user = await signedInUser(ctx.auth);
    const idToken = await user.idToken();
    const first = lifecycle(randomUUID(), "declined");
    const second = lifecycle(randomUUID(), "approved");
    const later = 100_000;
    const secondReviewed = {
      ...second.reviewed,
      updated: second.reviewed.updated + later,
      processed: second.reviewed.processed + later,
    };
    await link(first.reviewed.key, idToken);
    await send(first.reviewed);
    await expectDecision(user.uid, first.reviewed);
    await link(second.reviewed.key, idToken);
    await send(secondReviewed);
    await expectDecision(user.uid, secondReviewed);
    // The first verification moves again (a re-review), but it is older than the second.
    await send({ ...first.reviewed, status: "approved", updated: first.reviewed.updated + 60 });
    await expectDecision(user.uid, secondReviewed);
  }, 60_000);
});

describe("linkVerification refusals", () => {
  it("refuses a call without auth: unauthenticated", async () => {
    const res = await link(randomUUID());
    expect(res.status).toBe(401);
    expect(res.body.error?.status).toBe("UNAUTHENTICATED");
  });

  it.each([["not-a-uuid"], [""], [42]])("refuses key %j: invalid-argument", async (key) => {
    const user = await signedInUser(ctx.auth);
    const res = await callFunction("linkVerification", { key }, await user.idToken());
    expect(res.status).toBe(400);
    expect(res.body.error?.status).toBe("INVALID_ARGUMENT");
  });

  it("lets the first user keep a key: the second gets already-exists, the first may link again", async () => {
    const [alice, bob] = await Promise.all([signedInUser(ctx.auth), signedInUser(ctx.auth)]);
    const key = randomUUID();
    expect(await link(key, await alice.idToken())).toEqual({
      status: 200,
      body: { result: { key, linked: true } },
    });
    const taken = await link(key, await bob.idToken());
    expect(taken.status).toBe(409);
    expect(taken.body.error?.status).toBe("ALREADY_EXISTS");
    expect((await link(key.toUpperCase(), await alice.idToken())).status).toBe(200);
    expect((await ctx.db.collection("verifications").doc(key).get()).get("uid")).toBe(alice.uid);
  });

  it("gives a key to exactly one of two users racing for it", async () => {
    const [alice, bob] = await Promise.all([signedInUser(ctx.auth), signedInUser(ctx.auth)]);
    const key = randomUUID();
    const results = await Promise.all([
      link(key, await alice.idToken()),
      link(key, await bob.idToken()),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results[0].status === 200 ? alice.uid : bob.uid;
    expect((await ctx.db.collection("verifications").doc(key).get()).get("uid")).toBe(winner);
  });
});

describe("GET /verification on the emulators", () => {
  it("answers the caller's status, verifying the real ID token", async () => {
    const user = await signedInUser(ctx.auth);
    const { reviewed } = lifecycle();
    await link(reviewed.key, await user.idToken());
    await send(reviewed);
    await expectDecision(user.uid, reviewed);
    const res = await fetch(`${ctx.base}/verification`, {
      headers: { Authorization: `Bearer ${await user.idToken()}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      verification: {
        key: reviewed.key,
        status: "approved",
        reviewedAt: new Date(millis(reviewed.updated)).toISOString(),
      },
    });
  }, 60_000);

  it("answers null to a signed-in user with no verification", async () => {
    const user = await signedInUser(ctx.auth);
    const res = await fetch(`${ctx.base}/verification`, {
      headers: { Authorization: `Bearer ${await user.idToken()}` },
    });
    expect(await res.json()).toEqual({ verification: null });
  });

  it.each([
    ["no token", {}],
    ["a token that is not a Firebase ID token", { Authorization: "Bearer not-a-jwt" }],
  ])("answers 401 to %s", async (_name, headers: Record<string, string>) => {
    const res = await fetch(`${ctx.base}/verification`, { headers });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
  });
});

describe("the user sync, in process on the emulators", () => {
  it("names a verification that keeps changing by its ref, never its whole key", async () => {
    const user = await signedInUser(ctx.auth);
    const key = randomUUID();
    const ref = ctx.db.collection("verifications").doc(key);
    let round = 0;
    // A Passbase decision that flips each time its claim is set: the sync never settles.
    const decided = (status: "approved" | "declined") => {
      const at = Timestamp.fromMillis(1_700_000_000_000 + ++round * 1000);
      return {
        uid: user.uid,
        linkedBy: "user",
        status,
        event: "VERIFICATION_REVIEWED",
        created: at,
        updated: at,
        processed: at,
        eventId: `flip-${round}`,
      };
    };
    await ref.set(decided("approved"));
    const sync = createUserSync(() => ctx.db, testStates(testProviders(receiverConfig())), {
      async setIdentityVerified(_uid, value) {
        await ref.set(decided(value ? "declined" : "approved"));
        return "set";
      },
      withdraw: () => Promise.resolve("unchanged"),
    });
    const error = await sync.sync(key).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toEqual(
      new Error(`verification ${key.slice(0, 8)} kept changing while its user was updated`),
    );
    await drained(ctx);
  }, 60_000);

  it("withdraws a claim it set while the verification was being erased", async () => {
    const user = await signedInUser(ctx.auth);
    const key = randomUUID();
    const ref = ctx.db.collection("verifications").doc(key);
    const at = Timestamp.fromMillis(1_700_000_000_000);
    await ref.set({
      uid: user.uid,
      linkedBy: "user",
      status: "approved",
      event: "VERIFICATION_REVIEWED",
      created: at,
      updated: at,
      processed: at,
      eventId: "erased-meanwhile",
    });
    const claims: string[] = [];
    const sync = createUserSync(() => ctx.db, testStates(testProviders(receiverConfig())), {
      // The erasure lands between the sync's plan and its claim: it withdrew the claim first.
      async setIdentityVerified(uid, value) {
        await ref.set({ provider: "passbase", erasedAt: Timestamp.now() });
        claims.push(`${uid} ${String(value)}`);
        return "set";
      },
      withdraw: (uid) => {
        claims.push(`${uid} withdrawn`);
        return Promise.resolve("set");
      },
    });
    expect(await sync.sync(key)).toBe("erased");
    expect(claims).toEqual([`${user.uid} true`, `${user.uid} withdrawn`]);
    await drained(ctx);
  }, 60_000);
});

describe("the claims, on the Auth emulator", () => {
  const claimsOf = async (uid: string) => (await ctx.auth.getUser(uid)).customClaims ?? {};

  it("sets and removes its own age claims only, keeping the team's, even one of the same kind", async () => {
    const user = await signedInUser(ctx.auth);
    // The team's own claims; age_over_65 is not among this deployment's AGE_THRESHOLDS.
    await ctx.auth.setCustomUserClaims(user.uid, { role: "editor", age_over_65: "team" });
    const writer = createClaimWriter(
      () => ctx.auth,
      "identityVerified",
      () => [18, 21],
    );
    expect(await writer.setIdentityVerified(user.uid, true, { "18": true, "21": false })).toBe(
      "set",
    );
    expect(await claimsOf(user.uid)).toEqual({
      role: "editor",
      age_over_65: "team",
      identityVerified: true,
      age_over_18: true,
      age_over_21: false,
    });
    expect(await writer.setIdentityVerified(user.uid, true, { "18": true, "21": false })).toBe(
      "unchanged",
    );
    // A decline: the verified claim false, the age claims gone.
    await writer.setIdentityVerified(user.uid, false);
    expect(await claimsOf(user.uid)).toEqual({
      role: "editor",
      age_over_65: "team",
      identityVerified: false,
    });
    await writer.setIdentityVerified(user.uid, true, { "18": true });
    expect(await writer.withdraw(user.uid)).toBe("set");
    expect(await claimsOf(user.uid)).toEqual({ role: "editor", age_over_65: "team" });
  }, 60_000);

  it("leaves its age claims out, never the team's, when they would not fit in Auth's 1,000 bytes", async () => {
    const user = await signedInUser(ctx.auth);
    const team = { notes: "x".repeat(MAX_CLAIMS_BYTES - 60) };
    await ctx.auth.setCustomUserClaims(user.uid, team);
    const writer = createClaimWriter(
      () => ctx.auth,
      "identityVerified",
      () => [18, 21],
    );
    await writer.setIdentityVerified(user.uid, true, { "18": true, "21": true });
    const claims = await claimsOf(user.uid);
    expect(claims).toEqual({ ...team, identityVerified: true });
    expect(JSON.stringify(claims).length).toBeLessThanOrEqual(MAX_CLAIMS_BYTES);
  }, 60_000);
});
