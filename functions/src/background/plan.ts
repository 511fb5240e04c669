import { isDeepStrictEqual } from "node:util";
import type { ApiFailure } from "../providers/api-request";
import { isDecision } from "../verification/observation";

/** The fields of a verification that background work depends on; writes to others need none. */
export interface Watched {
  uid: unknown;
  linkedBy: unknown;
  conflict: boolean;
  status: unknown;
  eventId: unknown;
  /** Its data was erased: the erasure itself updated whatever showed it. */
  erased: boolean;
  /** When its facts were derived (ms): their landing, or a re-derivation, is carried to the user. */
  facts?: unknown;
}

/** What one write to a verification calls for. */
export interface WritePlan {
  /** The link or the decision moved: carry them to the user. */
  syncUser: boolean;
  /** A new decision appeared: its event id, for one details task. */
  detailsFor: string | undefined;
}

/**
 * Decides from a write's before and after what it calls for. A write that changes none of the
 * watched fields (the trigger's own, details without facts, the reconciliation schedule, a repeat)
 * calls for nothing, so the trigger returns without reading anything.
 */
export function planWrite(before: Watched | undefined, after: Watched | undefined): WritePlan {
  if (!after || after.erased || isDeepStrictEqual(before, after)) {
    return { syncUser: false, detailsFor: undefined };
  }
  const newDecision =
    isDecision(after.status) &&
    typeof after.eventId === "string" &&
    after.eventId !== before?.eventId;
  return { syncUser: true, detailsFor: newDecision ? (after.eventId as string) : undefined };
}

/**
 * Task names, which Cloud Tasks refuses to repeat (for about an hour after the task ran): so a
 * decision is queued once however often the trigger runs for it. The key comes first because
 * Cloud Tasks spreads its load by the start of the name, and keys are random.
 */
export const detailsTaskId = (key: string, eventId: string) => `${key}-details-${eventId}`;
export const checkTaskId = (key: string, check: number) => `${key}-check-${check}`;
/** The one look at a verification nobody has linked. */
export const unlinkedCheckTaskId = (key: string) => `${key}-unlinked-check`;
/** The erasure of a verification's data at its provider; reconciliation numbers its later tries. */
export const eraseTaskId = (key: string, check?: number) =>
  check === undefined ? `${key}-erase` : `${key}-erase-${check}`;

/**
 * What a failed lookup means for the task that made it: a transient failure is retried by the
 * queue, with its backoff, until its last attempt; anything else, and the last attempt, is
 * recorded, and reconciliation looks again later.
 */
export function planFailure(
  failure: ApiFailure,
  attempt: number,
  maxAttempts: number,
): "retry" | "record" {
  return failure === "unavailable" && attempt < maxAttempts ? "retry" : "record";
}

/**
 * What a failed erasure call means: a transient failure (or a provider's "not yet") is retried by
 * the queue until its last attempt, then waits for reconciliation; anything else (a 404, a refused
 * key) fails for good, for an operator to act on.
 */
export function planErasureFailure(
  failure: ApiFailure | "off",
  attempt: number,
  maxAttempts: number,
): "retry" | "wait" | "fail" {
  if (failure !== "unavailable") return "fail";
  return attempt < maxAttempts ? "retry" : "wait";
}

/** When reconciliation looks at an unresolved verification, and when it stops. */
export interface CheckSchedule {
  /** The first look, after the verification's last change; each later wait doubles. */
  afterMinutes: number;
  /** The longest wait between two looks. */
  maxIntervalMinutes: number;
  /** After this many looks, the verification is given up. */
  maxChecks: number;
}

export type CheckPlan = { kind: "check"; check: number; nextCheckAt: number } | { kind: "give-up" };

/**
 * The next look at a verification that `checks` looks have not resolved, at `now` (ms): the
 * wait doubles from `afterMinutes` up to `maxIntervalMinutes`, so verifications that never
 * resolve step aside for newer ones, and after `maxChecks` looks they are given up.
 */
export function planCheck(checks: number, now: number, schedule: CheckSchedule): CheckPlan {
  if (checks >= schedule.maxChecks) return { kind: "give-up" };
  const check = checks + 1;
  const waitMinutes = Math.min(schedule.afterMinutes * 2 ** check, schedule.maxIntervalMinutes);
  return { kind: "check", check, nextCheckAt: now + waitMinutes * 60_000 };
}

/** What reconciliation does with a verification that is due. */
export type DuePlan = CheckPlan | { kind: "look" } | { kind: "drop" };

/**
 * A linked verification follows the doubling schedule. One nobody has linked may be anyone's
 * (a provider's API can be called by strangers): it gets one look while it stays unlinked, so
 * that many of them never crowd out a user's; `checks` then says it had it. Linking schedules it.
 */
export function planDue(
  linked: boolean,
  checks: number | undefined,
  now: number,
  schedule: CheckSchedule,
): DuePlan {
  if (linked) return planCheck(checks ?? 0, now, schedule);
  return (checks ?? 0) === 0 ? { kind: "look" } : { kind: "drop" };
}
