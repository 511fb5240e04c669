import type { VerificationState } from "../../verification/observation";
import { stageRank } from "../contract";
import { eventId } from "./event-id";
import type { StatusEvent } from "./event";
import { passbase } from "./provider";

// On a tie, the more conservative decision wins, so a race never shows "approved" by accident.
const statusRank: Record<StatusEvent["status"], number> = { pending: 0, approved: 1, declined: 2 };

/** The fields of a status event that order it. */
export type Ordered = Pick<StatusEvent, "event" | "status" | "created" | "updated" | "processed">;

/**
 * Passbase's total order over the status events of one identity: REVIEWED outranks COMPLETED,
 * then the later `updated`, then the later `processed`, then the more conservative status, then
 * the later `created`. Two events that tie on all of these have the same content, so the same id.
 */
export const passbaseOrder = (event: Ordered): number[] => [
  stageRank(passbase.lifecycle, event.event),
  event.updated,
  event.processed,
  statusRank[event.status],
  event.created,
];

/** What a status event (or its stored fields) says about the identity, as event `id`. */
export function observe(event: Ordered, id: string): VerificationState {
  return {
    provider: "passbase",
    status: event.status,
    providerStatus: event.status,
    at: event.updated,
    order: passbaseOrder(event),
    eventId: id,
  };
}

/** What a delivered status event says, under its own event id. */
export const observeEvent = (event: StatusEvent): VerificationState =>
  observe(event, eventId(event));
