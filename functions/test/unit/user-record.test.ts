import { decideLink } from "../../src/verification/link";
import { observe } from "../../src/providers/passbase/observe";
import { isUsableUid } from "../../src/verification/uid";
import {
  expiryDue,
  planAttempt,
  planUserRecord,
  type LinkedVerification,
} from "../../src/verification/user-record";

/** A Passbase review's state, approved at 200 unless told otherwise. */
const state = (change: { status?: "pending" | "approved" | "declined"; updated?: number } = {}) => {
  const { status = "approved", updated = 200 } = change;
  return observe(
    { event: "VERIFICATION_REVIEWED", status, created: 100, updated, processed: updated },
    "e",
  );
};
const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const OTHER = "00000000-0000-4000-8000-000000000001";

/** A verification linked by the user "u", approved, unless told otherwise. */
const linked = (change: Partial<LinkedVerification> = {}): LinkedVerification => ({
  key: KEY,
  uid: "u",
  by: "user",
  conflict: false,
  state: state(),
  ...change,
});

describe("planUserRecord", () => {
  it("writes nothing for an erased verification, whatever it held", () => {
    expect(planUserRecord(linked({ erased: true }), undefined)).toEqual({
      kind: "skip",
      reason: "erased",
    });
  });

  it("lets an attempt that erased the decision replace it, and withdraws the claim", () => {
    const shown = { key: KEY, status: "approved" as const, reviewedAt: 200 };
    const retry = linked({ state: state({ status: "pending", updated: 300 }) });
    expect(planUserRecord(retry, undefined, shown)).toEqual({ kind: "skip", reason: "superseded" });
    const reset = linked({
      state: { ...state({ status: "pending", updated: 300 }), erasesDecision: true },
    });
    expect(planUserRecord(reset, undefined, shown)).toEqual({
      kind: "write",
      uid: "u",
      record: { key: KEY, status: "pending", reviewedAt: null },
      claim: false,
      ageOver: {},
    });
  });

  it("waits for the link", () => {
    expect(planUserRecord(linked({ uid: undefined }), undefined)).toEqual({
      kind: "skip",
      reason: "not-linked",
    });
  });

  it("waits for a status", () => {
    expect(planUserRecord(linked({ state: undefined }), undefined)).toEqual({
      kind: "skip",
      reason: "no-status",
    });
  });

  it.each(["a/b", "..", "__bad__", "x".repeat(129)])(
    "acknowledges a link to %j, which is no user id, instead of failing on it",
    (uid) => {
      expect(planUserRecord(linked({ uid }), undefined)).toEqual({
        kind: "skip",
        reason: "invalid-uid",
      });
    },
  );

  it.each([
    ["approved", true, 200],
    ["declined", false, 200],
    ["pending", undefined, null],
  ] as const)("for %s: claim %s, reviewedAt %s", (status, claim, reviewedAt) => {
    expect(planUserRecord(linked({ state: state({ status }) }), undefined)).toEqual({
      kind: "write",
      uid: "u",
      record: { key: KEY, status, reviewedAt },
      claim,
      ...(claim === undefined ? {} : { ageOver: {} }),
    });
  });

  describe("an approval's facts", () => {
    const facts = {
      ageOver: { "18": true, "21": false },
      documentExpiresOn: "2026-12-31",
      issuingCountry: "DE",
      documentType: "passport" as const,
      factsAt: 1_700_000_000_000,
    };
    const before = Date.parse("2026-12-31T23:59:59Z");
    const after = Date.parse("2027-01-01T00:00:00Z");

    it("go on the record and into the age claims; the document is not yet expired", () => {
      const plan = planUserRecord(linked({ facts }), undefined, undefined, {
        mode: "flag",
        now: before,
      });
      expect(plan).toEqual({
        kind: "write",
        uid: "u",
        record: { key: KEY, status: "approved", reviewedAt: 200, facts, documentExpired: false },
        claim: true,
        ageOver: { "18": true, "21": false },
      });
      expect(expiryDue(plan.kind === "write" ? plan.record : undefined)).toBe(after);
    });

    it("flag an expired document, keeping the claims under flag and withdrawing them under revoke", () => {
      const flagged = planUserRecord(linked({ facts }), undefined, undefined, {
        mode: "flag",
        now: after,
      });
      expect(flagged).toMatchObject({
        record: { documentExpired: true },
        claim: true,
        ageOver: { "18": true, "21": false },
      });
      expect(expiryDue(flagged.kind === "write" ? flagged.record : undefined)).toBeUndefined();
      expect(
        planUserRecord(linked({ facts }), undefined, undefined, { mode: "revoke", now: after }),
      ).toMatchObject({ record: { documentExpired: true }, claim: false, ageOver: {} });
      const ignored = planUserRecord(linked({ facts }), undefined, undefined, {
        mode: "ignore",
        now: after,
      });
      expect(ignored).toMatchObject({ claim: true });
      expect(ignored.kind === "write" && "documentExpired" in ignored.record).toBe(false);
      expect(expiryDue(ignored.kind === "write" ? ignored.record : undefined)).toBeUndefined();
    });

    it("never show on a decline", () => {
      const declined = linked({ facts, state: state({ status: "declined" }) });
      expect(planUserRecord(declined, undefined, undefined, { mode: "flag", now: before })).toEqual(
        {
          kind: "write",
          uid: "u",
          record: { key: KEY, status: "declined", reviewedAt: 200 },
          claim: false,
          ageOver: {},
        },
      );
    });
  });

  it("never lets an older verification of the same user replace a newer one", () => {
    const newer = linked({ key: OTHER, state: state({ updated: 300, status: "declined" }) });
    expect(planUserRecord(linked(), newer)).toEqual({ kind: "skip", reason: "superseded" });
  });

  it("lets a newer verification replace an older one", () => {
    const older = linked({ key: OTHER, state: state({ updated: 100, status: "declined" }) });
    expect(planUserRecord(linked(), older)).toMatchObject({
      kind: "write",
      record: { key: KEY, status: "approved" },
    });
  });

  it("ignores a held verification that belongs to someone else", () => {
    const foreign = linked({ key: OTHER, uid: "someone-else", state: state({ updated: 999 }) });
    expect(planUserRecord(linked(), foreign)).toMatchObject({ kind: "write" });
  });

  it("never lets a metadata link replace a decision the user linked themself, however new", () => {
    const own = linked({ key: OTHER, state: state({ updated: 100 }) });
    const hinted = linked({ by: "metadata", state: state({ updated: 900, status: "declined" }) });
    expect(planUserRecord(hinted, own)).toEqual({ kind: "skip", reason: "superseded" });
  });

  it("lets a newer metadata link replace one that is still pending", () => {
    const own = linked({ key: OTHER, state: state({ updated: 100, status: "pending" }) });
    const hinted = linked({ by: "metadata", state: state({ updated: 900 }) });
    expect(planUserRecord(hinted, own)).toMatchObject({ kind: "write", claim: true });
  });

  it("never lets a verification in conflict displace the user's own decision", () => {
    const own = linked({ key: OTHER, state: state({ updated: 100 }) });
    const disputed = linked({ conflict: true, state: state({ updated: 900 }) });
    expect(planUserRecord(disputed, own)).toEqual({ kind: "skip", reason: "superseded" });
  });

  it("fails closed on a conflict: shown as pending, the claim false", () => {
    expect(planUserRecord(linked({ conflict: true }), undefined)).toEqual({
      kind: "write",
      uid: "u",
      record: { key: KEY, status: "pending", reviewedAt: null },
      claim: false,
      ageOver: {},
    });
  });
});

describe("planAttempt", () => {
  const attempt = (status: "pending" | "declined", updated: number) =>
    linked({ state: state({ status, updated }) });
  const shown = { key: OTHER, provider: "passbase", status: "pending" as const, at: 150 };

  it("shows an attempt newer than the attempt and the decision shown", () => {
    expect(planAttempt(attempt("pending", 200), shown, 100)).toEqual({
      key: KEY,
      provider: "passbase",
      status: "pending",
      at: 200,
    });
  });
  it("leaves an attempt older than the decision shown, or than the attempt shown, alone", () => {
    expect(planAttempt(attempt("pending", 200), undefined, 300)).toBeUndefined();
    expect(planAttempt(attempt("pending", 100), shown, undefined)).toBeUndefined();
  });
  it("writes nothing when the attempt shown is already this one", () => {
    const same = { key: KEY, provider: "passbase", status: "pending" as const, at: 200 };
    expect(planAttempt(attempt("pending", 200), same, undefined)).toBeUndefined();
  });
  it("clears the attempt once it is decided, or a newer decision lands", () => {
    expect(planAttempt(attempt("declined", 100), { ...shown, key: KEY }, undefined)).toBeNull();
    expect(planAttempt(attempt("declined", 200), shown, undefined)).toBeNull();
    expect(planAttempt(attempt("declined", 100), shown, undefined)).toBeUndefined();
  });
  it("never shows a weak link or one in conflict as the user's attempt", () => {
    const pending = state({ status: "pending", updated: 200 });
    expect(planAttempt(linked({ by: "metadata", state: pending }), undefined, undefined)).toBe(
      undefined,
    );
    expect(planAttempt(linked({ conflict: true, state: pending }), undefined, undefined)).toBe(
      undefined,
    );
  });
});

describe("decideLink", () => {
  const user = (uid: string) => ({ uid, by: "user" as const });
  const metadata = (uid: string) => ({ uid, by: "metadata" as const });

  it("binds an unlinked verification, whoever asks", () => {
    expect(decideLink(undefined, user("u1"))).toEqual({ outcome: "linked", write: user("u1") });
    expect(decideLink(undefined, metadata("u1"))).toEqual({
      outcome: "linked",
      write: metadata("u1"),
    });
  });
  it("is a no-op for the same user", () => {
    expect(decideLink(user("u1"), user("u1"))).toEqual({
      outcome: "already-linked",
      write: undefined,
    });
    expect(decideLink(user("u1"), metadata("u1"))).toEqual({
      outcome: "already-linked",
      write: undefined,
    });
  });
  it("makes a metadata link the user's own when that user links it", () => {
    expect(decideLink(metadata("u1"), user("u1"))).toEqual({
      outcome: "already-linked",
      write: user("u1"),
    });
  });
  it("refuses another user: the first binding wins", () => {
    expect(decideLink(user("u1"), user("u2"))).toEqual({ outcome: "taken", write: undefined });
  });
  it("marks a conflict when the link and the metadata name different users", () => {
    expect(decideLink(user("u1"), metadata("u2"))).toEqual({
      outcome: "conflict",
      write: undefined,
      conflict: metadata("u2"),
    });
    expect(decideLink(metadata("u1"), user("u2"))).toEqual({
      outcome: "conflict",
      write: undefined,
      conflict: user("u2"),
    });
  });
});

describe("isUsableUid", () => {
  it.each(["u", "x".repeat(128), "Zq9LkQ2vTfM4bW8nRcY1sHeA3dP0", "user@example.com", "_x_", "__x"])(
    "accepts %j",
    (uid) => {
      expect(isUsableUid(uid)).toBe(true);
    },
  );
  it.each(["", "x".repeat(129), "a/b", "/", ".", "..", "__bad__", "____", 42, null])(
    "refuses %j",
    (uid) => {
      expect(isUsableUid(uid)).toBe(false);
    },
  );
});
