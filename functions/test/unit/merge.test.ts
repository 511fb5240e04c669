import fc from "fast-check";
import type { StatusEvent } from "../../src/providers/passbase/event";
import { observeEvent as stateOf } from "../../src/providers/passbase/observe";
import {
  compareStates,
  mergeState,
  type VerificationState,
} from "../../src/verification/observation";

const compareEvents = (a: StatusEvent, b: StatusEvent) => compareStates(stateOf(a), stateOf(b));
const mergeEvent = (state: VerificationState | undefined, event: StatusEvent) =>
  mergeState(state, stateOf(event));

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";

// Small ranges on purpose, so that generated events often tie on some fields.
const time = fc.integer({ min: 0, max: 4 });
const statusEvent: fc.Arbitrary<StatusEvent> = fc.oneof(
  fc.record({
    event: fc.constant("VERIFICATION_COMPLETED" as const),
    key: fc.constant(KEY),
    status: fc.constantFrom("pending" as const, "approved" as const, "declined" as const),
    created: time,
    updated: time,
    processed: time,
  }),
  fc.record({
    event: fc.constant("VERIFICATION_REVIEWED" as const),
    key: fc.constant(KEY),
    status: fc.constantFrom("approved" as const, "declined" as const),
    created: time,
    updated: time,
    processed: time,
  }),
);

const fold = (events: readonly StatusEvent[]) =>
  events.reduce<VerificationState | undefined>(
    (state, event) => mergeEvent(state, event),
    undefined,
  );

/** Deliveries: a multiset of events (with repeats), delivered in some order. */
const deliveries = fc
  .array(fc.tuple(statusEvent, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 8 })
  .map((events) => events.flatMap(([event, times]) => Array<StatusEvent>(times).fill(event)));

describe("the merge over Passbase's status events", () => {
  it("ends in the same state for any permutation of any multiset of deliveries", () => {
    const permuted = deliveries.chain((events) =>
      fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
    );
    fc.assert(
      fc.property(permuted, ([events, shuffled]) => {
        expect(fold(shuffled)).toEqual(fold(events));
      }),
      { numRuns: 2000 },
    );
  });

  it("shows the greatest event seen", () => {
    fc.assert(
      fc.property(deliveries, (events) => {
        const greatest = events.reduce((a, b) => (compareEvents(b, a) > 0 ? b : a));
        expect(fold(events)).toEqual(stateOf(greatest));
        for (const event of events) expect(compareEvents(event, greatest)).toBeLessThanOrEqual(0);
      }),
    );
  });

  it("ignores a repeat: merging the same event again returns the same state object", () => {
    fc.assert(
      fc.property(deliveries, statusEvent, (events, event) => {
        const state = mergeEvent(fold(events), event);
        expect(mergeEvent(state, event)).toBe(state);
      }),
    );
  });

  it("orders distinct events strictly: a tie means the same content", () => {
    fc.assert(
      fc.property(statusEvent, statusEvent, (a, b) => {
        const order = compareEvents(a, b);
        expect(Math.sign(compareEvents(b, a)) + Math.sign(order)).toBe(0);
        expect(order === 0).toBe(stateOf(a).eventId === stateOf(b).eventId);
      }),
      { numRuns: 2000 },
    );
  });

  describe("the order's rules, one at a time", () => {
    const base: StatusEvent = {
      event: "VERIFICATION_COMPLETED",
      key: KEY,
      status: "approved",
      created: 10,
      updated: 10,
      processed: 10,
    };
    const wins = (winner: StatusEvent, loser: StatusEvent) => {
      expect(fold([winner, loser])).toEqual(stateOf(winner));
      expect(fold([loser, winner])).toEqual(stateOf(winner));
    };

    it("REVIEWED outranks COMPLETED, even a COMPLETED updated later", () => {
      wins(
        { ...base, event: "VERIFICATION_REVIEWED", status: "approved" },
        { ...base, status: "declined", updated: 99, processed: 99 },
      );
    });
    it("then the later updated", () => {
      wins({ ...base, updated: 11, processed: 0 }, { ...base, processed: 99 });
    });
    it("then the later processed", () => {
      wins({ ...base, processed: 11, status: "pending" }, { ...base, status: "declined" });
    });
    it("then declined over approved over pending", () => {
      wins({ ...base, status: "declined" }, { ...base, status: "approved" });
      wins({ ...base, status: "approved" }, { ...base, status: "pending" });
    });
    it("a re-review with a later update flips the decision", () => {
      const first: StatusEvent = { ...base, event: "VERIFICATION_REVIEWED", status: "declined" };
      wins({ ...first, status: "approved", updated: 20, processed: 20 }, first);
    });
  });
});
