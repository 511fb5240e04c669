import { Timestamp, type CollectionReference, type Firestore } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { PERSON_NEEDLES, YEAR_BESIDE_MONTH } from "../../scripts/dev/person.cjs";
import { KITS, type Kit } from "../support/kits";
import {
  callFunction,
  connectToEmulators,
  documents,
  eventually,
  functionParam,
  runSchedule,
  signedInUser,
  standIn,
} from "./support";
import { answers, postTo, secretOf, verificationOf } from "./support/lives";

// What an approval tells the app, derived once from each provider's verified values, and that
// nothing of those values is kept: each registered provider's full life through its stand-in,
// which answers about one planted person (scripts/dev/person.cjs), as do Persona's and Veriff's
// webhooks; then a search of every document the emulators hold. (scripts/test/check-logs.mjs
// searches every log line for the same person.) The local stack sets AGE_THRESHOLDS=18,21.
const ctx = connectToEmulators();
const { verification, userRecord } = documents(ctx);

/** Passbase's kit: the suites below need one provider, and its answer carries its facts. */
function passbaseKit() {
  const kit = KITS.find(({ id }) => id === "passbase");
  if (!kit) throw new Error("the Passbase kit is missing");
  return kit;
}
/** Sends a verification's life, as its provider tells it, to the local widgets. */
const live = async (kit: Kit, id: string) => {
  for (const delivery of kit.life(id, secretOf(kit)).sent) await postTo(ctx.base, delivery);
};

const claimsOf = async (uid: string) => (await ctx.auth.getUser(uid)).customClaims ?? {};
type UserRecord =
  | { facts?: Record<string, unknown> & { ageOver?: unknown }; documentExpired?: boolean }
  | undefined;

describe("the local stack", () => {
  it("derives ages for 18 and 21, and flags expired documents", () => {
    expect([functionParam("AGE_THRESHOLDS"), functionParam("DOCUMENT_EXPIRY")]).toEqual([
      "18,21",
      "flag",
    ]);
  });
});

describe.each(KITS)("$id: an approval's facts", (kit) => {
  it("are derived from its stand-in's realistic answer, and reach the user's record and claims", async () => {
    const user = await signedInUser(ctx.auth);
    const id = await verificationOf(kit, user);
    await answers(kit, id, "approved");
    for (const delivery of kit.life(id, secretOf(kit)).sent) {
      expect((await postTo(ctx.base, delivery)).status).toBe(200);
    }
    const doc = await eventually(
      () => verification(id),
      (fields) => fields.status === "approved" && fields.detailsPending === false,
    );
    if (!kit.facts) {
      expect(doc.facts).toBeUndefined();
      return;
    }
    expect(doc.facts).toEqual({
      ...kit.facts,
      factsAt: expect.any(Timestamp) as Timestamp,
      eventId: doc.eventId as unknown,
    });
    const record = (await eventually(
      () => userRecord(user.uid),
      (shown) => (shown as UserRecord)?.facts !== undefined,
    )) as UserRecord;
    expect(record?.facts).toEqual({ ...kit.facts, factsAt: expect.any(Timestamp) as Timestamp });
    expect(record?.documentExpired).toBe(kit.facts.documentExpiresOn ? false : undefined);
    // The claims ISO 18013-5 names, beside the verified claim; what else the user holds is theirs.
    const ages = Object.fromEntries(
      Object.entries(kit.facts.ageOver ?? {}).map(([years, over]) => [`age_over_${years}`, over]),
    );
    expect(
      await eventually(
        () => claimsOf(user.uid),
        (claims) => Object.keys(claims).length > 1,
      ),
    ).toEqual({ identityVerified: true, ...ages });
  }, 60_000);
});

describe("a document's expiry", () => {
  it("is flagged by the scheduled run, found by its due field alone, the claims kept (flag)", async () => {
    const kit = passbaseKit();
    const user = await signedInUser(ctx.auth);
    const id = await verificationOf(kit, user);
    await answers(kit, id, "approved");
    await live(kit, id);
    await eventually(
      () => userRecord(user.uid),
      (shown) => (shown as UserRecord)?.documentExpired === false,
    );
    const users = ctx.db.collection("users");
    expect((await users.doc(user.uid).get()).get("documentExpiryDue")).toEqual(
      Timestamp.fromMillis(Date.parse("2031-07-01T00:00:00Z")),
    );
    // Time passes: the document expired yesterday, after the record was written.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await ctx.db
      .collection("verifications")
      .doc(id)
      .update({ "facts.documentExpiresOn": yesterday });
    await users.doc(user.uid).update({
      "verification.facts.documentExpiresOn": yesterday,
      documentExpiryDue: Timestamp.fromMillis(Date.parse(`${yesterday}T00:00:00Z`) + 86_400_000),
    });
    // Another user's record says the same, without the due field: a scan would flag it too.
    const unseen = ctx.db.collection("users").doc(`unseen-${Date.now()}`);
    await unseen.set({
      verification: {
        key: "never-looked-at",
        status: "approved",
        reviewedAt: null,
        facts: { documentExpiresOn: yesterday, factsAt: Timestamp.now() },
        documentExpired: false,
      },
    });

    expect(await runSchedule("reconcileVerifications")).toBe(200);
    const after = await users.doc(user.uid).get();
    expect(after.get("verification.documentExpired")).toBe(true);
    expect(after.get("documentExpiryDue")).toBeUndefined();
    expect(await claimsOf(user.uid)).toEqual({
      identityVerified: true,
      age_over_18: true,
      age_over_21: true,
    });
    expect((await unseen.get()).get("verification.documentExpired")).toBe(false);
  }, 60_000);
});

/** Every document the Firestore emulator holds, in every collection and subcollection. */
async function everyDocument(db: Firestore) {
  const found: { path: string; data: unknown }[] = [];
  const limit = pLimit(16);
  const walk = async (collections: CollectionReference[]): Promise<void> => {
    for (const collection of collections) {
      const snapshot = await collection.get();
      for (const doc of snapshot.docs) found.push({ path: doc.ref.path, data: doc.data() });
      await Promise.all(
        snapshot.docs.map((doc) => limit(() => doc.ref.listCollections()).then(walk)),
      );
    }
  };
  await walk(await db.listCollections());
  return found;
}

/** A document as text, its timestamps as ISO dates, so that a date of birth in any field shows. */
const asText = (data: unknown) =>
  JSON.stringify(data, (_key, value: unknown) =>
    value instanceof Timestamp ? value.toDate().toISOString() : value,
  );

/** A date of birth kept as parts: {day: 14, month: 2, year: 1990}, under any names. */
function holdsParts(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const numbers = Object.values(value).filter((v) => typeof v === "number");
  if ([14, 2, 1990].every((part) => numbers.includes(part))) return true;
  return Object.values(value).some(holdsParts);
}

describe("refreshVerificationFacts", () => {
  it("derives the caller's facts again from what the provider holds now, at most once an hour", async () => {
    const kit = passbaseKit();
    const user = await signedInUser(ctx.auth);
    const id = await verificationOf(kit, user);
    // Approved, but Passbase's answer holds no document datapoints yet: no facts to derive.
    const bare = { ...(kit.apiAnswer?.(id, "approved") as object), resources: [] };
    await standIn.program(id, [{ status: 200, body: bare }]);
    await live(kit, id);
    await eventually(
      () => verification(id),
      (fields) => fields.detailsPending === false,
    );
    // Nothing derived, nothing kept.
    expect((await verification(id)).facts).toBeUndefined();
    expect(await claimsOf(user.uid)).toEqual({ identityVerified: true });

    // Passbase now holds the document's datapoints: the user asks.
    const refresh = async () =>
      (await callFunction("refreshVerificationFacts", {}, await user.idToken())).body;
    await answers(kit, id, "approved");
    expect(await refresh()).toEqual({ result: { outcome: "refreshed" } });
    const after = (await eventually(
      () => userRecord(user.uid),
      (shown) => (shown as UserRecord)?.facts?.ageOver !== undefined,
    )) as UserRecord;
    expect(after?.facts).toEqual({ ...kit.facts, factsAt: expect.any(Timestamp) as Timestamp });
    expect(
      await eventually(
        () => claimsOf(user.uid),
        (claims) => claims.age_over_18 !== undefined,
      ),
    ).toEqual({ identityVerified: true, age_over_18: true, age_over_21: true });

    // Within the hour, the facts are not derived again: no call to the provider.
    const asked = (await standIn.requests(id)).length;
    expect(await refresh()).toEqual({ result: { outcome: "recent" } });
    expect(await standIn.requests(id)).toHaveLength(asked);
  }, 60_000);

  it("refuses a caller without an approved verification, and one not signed in", async () => {
    const stranger = await signedInUser(ctx.auth);
    const refused = await callFunction("refreshVerificationFacts", {}, await stranger.idToken());
    expect([refused.status, refused.body.error?.status]).toEqual([400, "FAILED_PRECONDITION"]);
    const anonymous = await callFunction("refreshVerificationFacts", {});
    expect([anonymous.status, anonymous.body.error?.status]).toEqual([401, "UNAUTHENTICATED"]);
  }, 60_000);
});

describe("after a full life through every provider", () => {
  it("no document the emulators hold keeps the planted person, in any format", async () => {
    const all = await everyDocument(ctx.db);
    // The lives above wrote verifications, users and audit entries: the search has its haystack.
    expect(all.filter(({ path }) => path.startsWith("verifications/")).length).toBeGreaterThan(
      KITS.length,
    );
    const leaks: string[] = [];
    for (const { path, data } of all) {
      const text = asText(data);
      for (const [what, needle] of PERSON_NEEDLES) {
        if (text.includes(needle)) leaks.push(`${path}: ${what}`);
      }
      if (YEAR_BESIDE_MONTH.test(text)) leaks.push(`${path}: the year of birth beside its month`);
      if (holdsParts(data)) leaks.push(`${path}: the date of birth as parts`);
    }
    expect(leaks).toEqual([]);
  }, 120_000);
});
