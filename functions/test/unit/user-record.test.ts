import { decideLink } from "../../src/verification/link";
import type { VerificationState } from "../../src/verification/merge";
import { planUserRecord } from "../../src/verification/user-record";

const state = (change: Partial<VerificationState> = {}): VerificationState => ({
  status: "approved",
  event: "VERIFICATION_REVIEWED",
  created: 100,
  updated: 200,
  processed: 200,
  eventId: "e",
  ...change,
});
const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const OTHER = "00000000-0000-4000-8000-000000000001";

describe("planUserRecord", () => {
  it("waits for the link", () => {
    expect(planUserRecord({ key: KEY, uid: undefined, state: state() }, undefined)).toEqual({
      kind: "skip",
      reason: "not-linked",
    });
  });

  it("waits for a status", () => {
    expect(planUserRecord({ key: KEY, uid: "u", state: undefined }, undefined)).toEqual({
      kind: "skip",
      reason: "no-status",
    });
  });

  it.each([
    ["approved", true, 200],
    ["declined", false, 200],
    ["pending", undefined, null],
  ] as const)("for %s: claim %s, reviewedAt %s", (status, claim, reviewedAt) => {
    expect(planUserRecord({ key: KEY, uid: "u", state: state({ status }) }, undefined)).toEqual({
      kind: "write",
      uid: "u",
      record: { key: KEY, status, reviewedAt },
      claim,
    });
  });

  it("never lets an older verification of the same user replace a newer one", () => {
    const newer = { key: OTHER, uid: "u", state: state({ updated: 300, status: "declined" }) };
    expect(planUserRecord({ key: KEY, uid: "u", state: state() }, newer)).toEqual({
      kind: "skip",
      reason: "superseded",
    });
  });

  it("lets a newer verification replace an older one", () => {
    const older = { key: OTHER, uid: "u", state: state({ updated: 100, status: "declined" }) };
    expect(planUserRecord({ key: KEY, uid: "u", state: state() }, older)).toMatchObject({
      kind: "write",
      record: { key: KEY, status: "approved" },
    });
  });

  it("ignores a held verification that belongs to someone else", () => {
    const foreign = { key: OTHER, uid: "someone-else", state: state({ updated: 999 }) };
    expect(planUserRecord({ key: KEY, uid: "u", state: state() }, foreign)).toMatchObject({
      kind: "write",
    });
  });
});

describe("decideLink", () => {
  it("binds an unlinked verification", () => {
    expect(decideLink(undefined, "u1")).toBe("linked");
  });
  it("is a no-op for the same user", () => {
    expect(decideLink("u1", "u1")).toBe("already-linked");
  });
  it("refuses another user: the first binding wins", () => {
    expect(decideLink("u1", "u2")).toBe("taken");
  });
});
