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
  type AcceptedEvent,
  type OtherEvent,
  type StatusEvent,
} from "../providers/passbase/event";
import { eventId } from "../providers/passbase/event-id";
import { observe } from "../providers/passbase/observe";
import type { PersonaDelivery } from "../providers/persona/event";
import {
  observeInquiry,
  personaState,
  REDACTED_EVENT as PERSONA_REDACTED,
  STATUS_EVENTS as PERSONA_STATUS_EVENTS,
  type CompletedMeans,
} from "../providers/persona/observe";
import { sessionStatuses, type StripeDelivery } from "../providers/stripe/event";
import {
  observeSession,
  REDACTED_EVENT,
  STATUS_EVENTS,
  stripeOrder,
} from "../providers/stripe/observe";
import {
  mergeState,
  verificationStatuses,
  type VerificationState,
} from "../verification/observation";

/** What storing a delivery did: moved the status, only added to the audit trail, or nothing at all. */
export type ApplyOutcome = "applied" | "recorded" | "duplicate";

/** Where an event came from, as the audit trail records it. */
export type EventSource = "webhook" | "reconciliation";

/** A Stripe event about a VerificationSession. */
export type StripeSessionEvent = Extract<StripeDelivery, { kind: "session" }>;

/** A Persona event about an inquiry. */
export type PersonaInquiryEvent = Extract<PersonaDelivery, { kind: "inquiry" }>;

/** Where accepted events go. The HTTP layer depends on this, not on Firestore. */
export interface EventSink {
  /** A Passbase event. */
  applyEvent(accepted: AcceptedEvent, source?: EventSource): Promise<ApplyOutcome>;
  /** A Stripe event about a VerificationSession. */
  applyStripeEvent(event: StripeSessionEvent, source?: EventSource): Promise<ApplyOutcome>;
  /** A Persona event about an inquiry; `completedMeans` is PERSONA_COMPLETED_MEANS. */
  applyPersonaEvent(
    event: PersonaInquiryEvent,
    completedMeans: CompletedMeans,
    source?: EventSource,
  ): Promise<ApplyOutcome>;
}

export const VERIFICATIONS = "verifications";
export const EVENTS = "events";

const seconds = z.instanceof(Timestamp).transform((at) => at.seconds);

// A Passbase verification's state as stored: the fields of the status event that set it. A
// document without them (e.g. linked before any webhook) has no state yet.
const storedPassbaseState = z.object({
  status: z.enum(verificationStatuses),
  event: z.enum(statusEventTypes),
  created: seconds,
  updated: seconds,
  processed: seconds,
  eventId: z.string(),
});

// A Stripe verification's state as stored: the neutral status, Stripe's word, and Stripe's time.
const storedStripeState = z.object({
  provider: z.literal("stripe"),
  status: z.enum(verificationStatuses),
  providerStatus: z.enum(sessionStatuses),
  observedAt: seconds,
  eventId: z.string(),
});

// A Persona inquiry's state as stored: Persona's word (an open set) and Persona's time, in ms.
const storedPersonaState = z.object({
  provider: z.literal("persona"),
  status: z.enum(verificationStatuses),
  providerStatus: z.string(),
  observedAt: z.instanceof(Timestamp).transform((at) => at.toMillis()),
  eventId: z.string(),
});

/** Reads back the merge state from a verification document; absent until a status event lands. */
export function readState(snapshot: DocumentSnapshot | undefined): VerificationState | undefined {
  const data = snapshot?.data();
  if (data?.provider === "stripe") {
    const parsed = storedStripeState.safeParse(data);
    if (!parsed.success) return undefined;
    const { status, providerStatus, observedAt, eventId: id } = parsed.data;
    return {
      provider: "stripe",
      status,
      providerStatus,
      at: observedAt,
      order: stripeOrder(observedAt, status),
      eventId: id,
    };
  }
  if (data?.provider === "persona") {
    const parsed = storedPersonaState.safeParse(data);
    if (!parsed.success) return undefined;
    const { status, providerStatus, observedAt, eventId: id } = parsed.data;
    return personaState(status, providerStatus, observedAt, id);
  }
  // Documents without `provider` are Passbase's: they were all written before there was another.
  const parsed = storedPassbaseState.safeParse(data);
  return parsed.success ? observe(parsed.data, parsed.data.eventId) : undefined;
}

const toTimestamp = (unixSeconds: number) => Timestamp.fromMillis(unixSeconds * 1000);

/** The fields that hold a Passbase verification's state: those of the event that set it. */
function stateDocument(event: StatusEvent, id: string): DocumentData {
  return {
    status: event.status,
    event: event.event,
    created: toTimestamp(event.created),
    updated: toTimestamp(event.updated),
    processed: toTimestamp(event.processed),
    eventId: id,
  };
}

function auditDocument(event: StatusEvent | OtherEvent): DocumentData {
  const entry: DocumentData = { event: event.event };
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

/** One delivery as the store takes it from a provider's reading. */
interface Delivery {
  /** The verification's document id. */
  id: string;
  /** The audit entry's id: the delivery's idempotency key. */
  auditId: string;
  audit: DocumentData;
  /** What the delivery says about the state, and the fields that hold it if it wins. */
  state?: { observation: VerificationState; document: DocumentData };
  /** Fields set on the verification whether or not the state moves. */
  marks?: DocumentData;
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

  async function apply(delivery: Delivery, source: EventSource): Promise<ApplyOutcome> {
    const firestore = db();
    const verificationRef = firestore.collection(VERIFICATIONS).doc(delivery.id);
    const auditRef = verificationRef.collection(EVENTS).doc(delivery.auditId);
    try {
      return await withDeadline(transaction(), deadlineMs);
    } catch (error) {
      if (error instanceof AlreadyRecorded) return "duplicate";
      throw error;
    }

    function transaction() {
      return firestore.runTransaction(async (tx): Promise<ApplyOutcome> => {
        const [verification, audit] = await tx.getAll(verificationRef, auditRef);
        // Throwing makes the SDK roll back instead of committing an empty transaction.
        if (audit?.exists) throw new AlreadyRecorded();
        tx.create(auditRef, {
          ...delivery.audit,
          source,
          receivedAt: FieldValue.serverTimestamp(),
        });
        const current = readState(verification);
        const next = delivery.state && mergeState(current, delivery.state.observation);
        if (!delivery.state || next === current) {
          const { marks } = delivery;
          // Only a mark that changes something is written: no write, no trigger run.
          if (marks && Object.entries(marks).some(([field, v]) => verification?.get(field) !== v)) {
            tx.set(verificationRef, marks, { merge: true });
          }
          return "recorded";
        }
        // merge: other fields of the verification (the user link, API details) are not ours.
        // A new decision needs fresh details from the API; reconciliation looks for the flag.
        const decided = delivery.state.observation.status !== "pending";
        tx.set(
          verificationRef,
          {
            ...delivery.marks,
            ...delivery.state.document,
            ...(decided ? detailsPending() : {}),
            ...firstCheck(now() + checkAfterMinutes() * 60_000),
          },
          { merge: true },
        );
        return "applied";
      });
    }
  }

  return {
    applyEvent(accepted, source = "webhook") {
      const { event } = accepted;
      const id = eventId(event);
      return apply(
        {
          id: event.key,
          auditId: id,
          audit: auditDocument(event),
          state:
            accepted.kind === "status"
              ? {
                  observation: observe(accepted.event, id),
                  document: stateDocument(accepted.event, id),
                }
              : undefined,
        },
        source,
      );
    },

    applyStripeEvent(event, source = "webhook") {
      const { session, type, created, eventId: id } = event;
      const observation = observeSession(session, created, id);
      return apply(
        {
          id: session.id,
          auditId: id,
          audit: {
            event: type,
            providerStatus: session.status,
            created: toTimestamp(created),
            ...(session.last_error?.code ? { lastErrorCode: session.last_error.code } : {}),
          },
          // Redaction deletes personal data at Stripe: no outcome, only a mark. A type this
          // version does not know is kept in the audit trail and moves nothing.
          state: STATUS_EVENTS.has(type)
            ? {
                observation,
                document: {
                  provider: "stripe",
                  status: observation.status,
                  providerStatus: session.status,
                  observedAt: toTimestamp(created),
                  eventId: id,
                  lastErrorCode: session.last_error?.code ?? null,
                  livemode: session.livemode ?? null,
                },
              }
            : undefined,
          marks: {
            provider: "stripe",
            ...(type === REDACTED_EVENT || session.redaction?.status === "redacted"
              ? { redacted: true }
              : {}),
          },
        },
        source,
      );
    },

    applyPersonaEvent(event, completedMeans, source = "webhook") {
      const { inquiry, name, createdAt, eventId: id } = event;
      const { status } = inquiry.attributes;
      // A status this version does not know, or an event that is no status change (a step, a
      // redaction, a name Persona added since), is kept in the audit trail and moves nothing.
      const observation = PERSONA_STATUS_EVENTS.has(name)
        ? observeInquiry(inquiry, createdAt, id, completedMeans)
        : undefined;
      return apply(
        {
          id: inquiry.id,
          auditId: id,
          audit: { event: name, providerStatus: status, created: Timestamp.fromMillis(createdAt) },
          state: observation && {
            observation,
            document: {
              provider: "persona",
              status: observation.status,
              providerStatus: status,
              observedAt: Timestamp.fromMillis(createdAt),
              eventId: id,
            },
          },
          marks: {
            provider: "persona",
            ...(name === PERSONA_REDACTED || inquiry.attributes["redacted-at"]
              ? { redacted: true }
              : {}),
          },
        },
        source,
      );
    },
  };
}
