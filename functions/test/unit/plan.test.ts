import fc from "fast-check";
import {
  checkTaskId,
  detailsTaskId,
  planCheck,
  planDue,
  planFailure,
  planWrite,
  type Watched,
} from "../../src/background/plan";

const doc = (fields: Partial<Watched>): Watched => ({
  uid: undefined,
  linkedBy: undefined,
  conflict: false,
  status: undefined,
  eventId: undefined,
  erased: false,
  ...fields,
});

describe("planWrite", () => {
  const pending = doc({ status: "pending", eventId: "a" });
  const approved = doc({ status: "approved", eventId: "b" });

  it.each([
    ["nothing for a write that moves no watched field", approved, approved, false, undefined],
    ["nothing for a deletion", approved, undefined, false, undefined],
    ["a sync for a link", pending, { ...pending, uid: "u" }, true, undefined],
    ["a sync and details for a decision", pending, approved, true, "b"],
    ["a sync and details for a first decision", undefined, approved, true, "b"],
    [
      "nothing for an erasure, which updated the user itself",
      approved,
      doc({ erased: true }),
      false,
      undefined,
    ],
    ["a sync only for a first pending state", undefined, pending, true, undefined],
    ["a sync only for a conflict", approved, { ...approved, conflict: true }, true, undefined],
    [
      "a sync and details for a re-review",
      approved,
      doc({ status: "declined", eventId: "c" }),
      true,
      "c",
    ],
    [
      "no details for a status without an event id",
      pending,
      doc({ status: "approved" }),
      true,
      undefined,
    ],
  ])("plans %s", (_name, before, after, syncUser, detailsFor) => {
    expect(planWrite(before, after)).toEqual({ syncUser, detailsFor });
  });
});

describe("task ids", () => {
  it("names a decision's task by key and event id, and a check by its number", () => {
    expect(detailsTaskId("k", "e")).toBe("k-details-e");
    expect(checkTaskId("k", 3)).toBe("k-check-3");
  });

  it("are valid Cloud Tasks ids for every Passbase key and event id", () => {
    const id = /^[A-Za-z0-9_-]{1,500}$/;
    fc.assert(
      fc.property(fc.uuid(), fc.stringMatching(/^[0-9a-f]{64}$/), (key, eventId) =>
        id.test(detailsTaskId(key, eventId)),
      ),
    );
  });
});

describe("planFailure", () => {
  it.each([
    ["unavailable", 1, "retry"],
    ["unavailable", 4, "retry"],
    ["unavailable", 5, "record"],
    ["not-found", 1, "record"],
    ["unauthorized", 1, "record"],
    ["rejected", 1, "record"],
    ["malformed", 1, "record"],
  ] as const)("%s on attempt %d of 5: %s", (failure, attempt, plan) => {
    expect(planFailure(failure, attempt, 5)).toBe(plan);
  });
});

describe("planCheck", () => {
  const schedule = { afterMinutes: 60, maxIntervalMinutes: 24 * 60, maxChecks: 18 };
  const hours = (h: number) => h * 3_600_000;

  it("doubles the wait after each check, up to a day", () => {
    const waits = Array.from({ length: 8 }, (_, checks) => {
      const plan = planCheck(checks, 0, schedule);
      return plan.kind === "check" ? plan.nextCheckAt / hours(1) : undefined;
    });
    expect(waits).toEqual([2, 4, 8, 16, 24, 24, 24, 24]);
  });

  it("numbers the checks from 1", () => {
    expect(planCheck(0, 0, schedule)).toMatchObject({ kind: "check", check: 1 });
  });

  it("gives up after maxChecks, about 14 days with the defaults", () => {
    expect(planCheck(17, 0, schedule).kind).toBe("check");
    expect(planCheck(18, 0, schedule)).toEqual({ kind: "give-up" });
    // The first look comes an hour after the last change; each later one as planned.
    let at = hours(1);
    for (let checks = 0; checks < 17; checks++) {
      const plan = planCheck(checks, at, schedule);
      if (plan.kind !== "check") throw new Error("gave up early");
      at = plan.nextCheckAt;
    }
    expect(at / hours(24)).toBeCloseTo(14.3, 1); // the 18th check: 343 hours after the change
  });
});

describe("planDue", () => {
  const schedule = { afterMinutes: 60, maxIntervalMinutes: 24 * 60, maxChecks: 18 };

  it("follows the doubling schedule for a linked verification", () => {
    for (const checks of [undefined, 0, 3, 18]) {
      expect(planDue(true, checks, 0, schedule)).toEqual(planCheck(checks ?? 0, 0, schedule));
    }
  });

  it("looks once at a verification nobody has linked, then never again while it stays so", () => {
    expect(planDue(false, undefined, 0, schedule)).toEqual({ kind: "look" });
    expect(planDue(false, 0, 0, schedule)).toEqual({ kind: "look" });
    for (const checks of [1, 2, 18]) {
      expect(planDue(false, checks, 0, schedule)).toEqual({ kind: "drop" });
    }
  });
});
