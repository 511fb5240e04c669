import type { StatusEvent, StatusEventType, VerificationStatus } from "../passbase/event";
import { eventId } from "./event-id";

/** What `verifications/{key}` shows: the greatest status event seen so far. Times in unix seconds. */
export interface VerificationState {
  status: VerificationStatus;
  event: StatusEventType;
  created: number;
  updated: number;
  processed: number;
  eventId: string;
}

type Ranked = Pick<StatusEvent, "event" | "status" | "created" | "updated" | "processed">;

const eventRank: Record<StatusEventType, number> = {
  VERIFICATION_COMPLETED: 0,
  VERIFICATION_REVIEWED: 1,
};

// On a tie, the more conservative decision wins, so a race never shows "approved" by accident.
const statusRank: Record<VerificationStatus, number> = { pending: 0, approved: 1, declined: 2 };

/**
 * A total order over the status events of one identity: REVIEWED outranks COMPLETED, then the
 * later `updated`, then the later `processed`, then the more conservative status, then the later
 * `created`. Two events that tie on all of these have the same content and so the same id.
 */
export function compareEvents(a: Ranked, b: Ranked): number {
  return (
    eventRank[a.event] - eventRank[b.event] ||
    a.updated - b.updated ||
    a.processed - b.processed ||
    statusRank[a.status] - statusRank[b.status] ||
    a.created - b.created
  );
}

/** The state an event alone would set; `id` is its event id, when the caller has it already. */
export function stateOf(event: StatusEvent, id: string = eventId(event)): VerificationState {
  const { event: type, status, created, updated, processed } = event;
  return { status, event: type, created, updated, processed, eventId: id };
}

/**
 * Merges one more event into the current state: the greater of the two wins. Being a maximum,
 * the result is the same for any order and any number of repeats of the same deliveries.
 * Returns `current` itself when the event changes nothing. `incomingId`, the event's id, saves
 * hashing it again when the caller has it (the store needs it for the audit entry anyway).
 */
export function mergeEvent(
  current: VerificationState | undefined,
  incoming: StatusEvent,
  incomingId?: string,
): VerificationState {
  if (current && compareEvents(incoming, current) <= 0) return current;
  return stateOf(incoming, incomingId);
}
