import {
  FieldValue,
  Timestamp,
  type DocumentData,
  type DocumentSnapshot,
  type Firestore,
} from "firebase-admin/firestore";
import { z } from "zod";
import {
  statusEventTypes,
  verificationStatuses,
  type AcceptedEvent,
  type OtherEvent,
  type StatusEvent,
} from "../passbase/event";
import { eventId } from "../verification/event-id";
import { mergeEvent, type VerificationState } from "../verification/merge";

/** What storing a delivery did: moved the status, only added to the audit trail, or nothing at all. */
export type ApplyOutcome = "applied" | "recorded" | "duplicate";

/** Where an event came from, as the audit trail records it. */
export type EventSource = "webhook" | "reconciliation";

/** Where accepted events go. The HTTP layer depends on this, not on Firestore. */
export interface EventSink {
  applyEvent(accepted: AcceptedEvent, source?: EventSource): Promise<ApplyOutcome>;
}

export const VERIFICATIONS = "verifications";
export const EVENTS = "events";

const seconds = z.instanceof(Timestamp).transform((at) => at.seconds);

// The merge state as stored; a document without it (e.g. linked before any webhook) has none yet.
const storedState = z.object({
  status: z.enum(verificationStatuses),
  event: z.enum(statusEventTypes),
  created: seconds,
  updated: seconds,
  processed: seconds,
  eventId: z.string(),
});

/** Reads back the merge state from a verification document; absent until a status event lands. */
export function readState(snapshot: DocumentSnapshot | undefined): VerificationState | undefined {
  const parsed = storedState.safeParse(snapshot?.data());
  return parsed.success ? parsed.data : undefined;
}

const toTimestamp = (unixSeconds: number) => Timestamp.fromMillis(unixSeconds * 1000);

function stateDocument(state: VerificationState): DocumentData {
  return {
    status: state.status,
    event: state.event,
    created: toTimestamp(state.created),
    updated: toTimestamp(state.updated),
    processed: toTimestamp(state.processed),
    eventId: state.eventId,
  };
}

function auditDocument(event: StatusEvent | OtherEvent, source: EventSource): DocumentData {
  const entry: DocumentData = {
    event: event.event,
    source,
    receivedAt: FieldValue.serverTimestamp(),
  };
  if (event.status !== undefined) entry.status = event.status;
  for (const field of ["created", "updated", "processed"] as const) {
    const at = event[field];
    if (at !== undefined) entry[field] = toTimestamp(at);
  }
  return entry;
}

/** Marks a verification as needing details from the API, and since when. */
export const detailsPending = () => ({
  detailsPending: true,
  detailsPendingSince: FieldValue.serverTimestamp(),
});

/**
 * Schedules reconciliation's first look at a verification whose state just moved (or that was
 * linked before any webhook): it is unresolved until its decision's details are stored, which
 * clears the schedule again.
 */
export const firstCheck = (at: number) => ({
  nextCheckAt: Timestamp.fromMillis(at),
  checks: 0,
  givenUpAt: FieldValue.delete(),
});

/** Thrown inside a transaction to end it without a commit: a repeated delivery writes nothing. */
class AlreadyRecorded extends Error {}

/** How long a delivery may wait for Firestore before the receiver answers 503. */
export const STORE_DEADLINE_MS = 20_000;

/**
 * Rejects when `work` has not settled within `ms`. The Firestore SDK retries an unreachable
 * backend for minutes; Passbase should hear 503 (and retry) long before that. The SDK may still
 * finish the transaction afterwards, which is safe: a delivery applied twice is a duplicate.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Firestore did not answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** When reconciliation first looks at a verification that changed. */
export interface FirstCheckOptions {
  /** Minutes after a change before reconciliation first looks (param RECONCILE_AFTER_MINUTES). */
  checkAfterMinutes: () => number;
  now?: () => number;
}

export interface VerificationStoreOptions extends FirstCheckOptions {
  deadlineMs?: number;
}

/**
 * The Firestore adapter for deliveries. Each one is a single transaction: one batched read of the
 * verification and its audit entry, then one commit, or none for a duplicate.
 */
export function createVerificationStore(
  db: () => Firestore,
  options: VerificationStoreOptions,
): EventSink {
  const { checkAfterMinutes, deadlineMs = STORE_DEADLINE_MS, now = Date.now } = options;
  return {
    async applyEvent(accepted, source = "webhook") {
      const firestore = db();
      const { event } = accepted;
      const verificationRef = firestore.collection(VERIFICATIONS).doc(event.key);
      const id = eventId(event);
      const auditRef = verificationRef.collection(EVENTS).doc(id);
      try {
        return await withDeadline(apply(), deadlineMs);
      } catch (error) {
        if (error instanceof AlreadyRecorded) return "duplicate";
        throw error;
      }

      function apply() {
        return firestore.runTransaction(async (tx): Promise<ApplyOutcome> => {
          const [verification, audit] = await tx.getAll(verificationRef, auditRef);
          // Throwing makes the SDK roll back instead of committing an empty transaction.
          if (audit?.exists) throw new AlreadyRecorded();
          tx.create(auditRef, auditDocument(event, source));
          if (accepted.kind === "other") return "recorded";
          const current = readState(verification);
          const next = mergeEvent(current, accepted.event, id);
          if (next === current) return "recorded";
          // merge: other fields of the verification (the user link, API details) are not ours.
          // A new decision needs fresh details from the API; reconciliation looks for the flag.
          const decided = next.status !== "pending";
          tx.set(
            verificationRef,
            {
              ...stateDocument(next),
              ...(decided ? detailsPending() : {}),
              ...firstCheck(now() + checkAfterMinutes() * 60_000),
            },
            { merge: true },
          );
          return "applied";
        });
      }
    },
  };
}
