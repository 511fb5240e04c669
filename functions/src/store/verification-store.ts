import {
  FieldValue,
  Timestamp,
  type DocumentData,
  type DocumentSnapshot,
  type Firestore,
} from "firebase-admin/firestore";
import { aheadOfEveryClock, type Recording } from "../providers/contract";
import { DEFAULT_NAMES, type StoreNames } from "./names";
import { isDecision, mergeState, type VerificationState } from "../verification/observation";

/**
 * What storing a delivery did: moved the status, only added to the audit trail, nothing at all (a
 * repeat), nothing because the verification is stored for another provider, or only the audit
 * entry because its data was erased.
 */
export type ApplyOutcome = "applied" | "recorded" | "duplicate" | "foreign" | "erased";

/** Where an event came from, as the audit trail records it. */
export type EventSource = "webhook" | "reconciliation";

/** Where accepted events go. The HTTP layer and the check queue depend on this, not on Firestore. */
export interface EventSink {
  /** Records what `provider` says about one verification, in one transaction. */
  apply(provider: string, recording: Recording, source?: EventSource): Promise<ApplyOutcome>;
}

/** Whether a stored verification is an erasure's tombstone (`erasedAt`): no one's any more. */
export const isErased = (snapshot: DocumentSnapshot | undefined) =>
  snapshot?.get("erasedAt") !== undefined;
export const EVENTS = "events";

/**
 * How stored verifications are read back: which provider each belongs to, and its merge state, in
 * that provider's own terms. The registry answers; the store only hands it the fields.
 */
export interface StateReader {
  /** The provider a stored verification belongs to: its `provider`, or who owns unlabelled ones. */
  providerOf(stored: unknown): string | undefined;
  /** The merge state held in a verification's fields (timestamps as `Date`s); undefined if none. */
  read(provider: string, fields: Record<string, unknown>): Promise<VerificationState | undefined>;
}

/** A stored verification's fields with Firestore's timestamps as `Date`s, for the providers. */
function plainFields(data: DocumentData): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data).map(([field, value]) => [
      field,
      value instanceof Timestamp ? value.toDate() : value,
    ]),
  );
}

/** Reads a stored verification: whose it is, and its merge state (absent until a status lands). */
export async function readStored(
  states: StateReader,
  snapshot: DocumentSnapshot | undefined,
): Promise<{ provider: string | undefined; state: VerificationState | undefined } | undefined> {
  const data = snapshot?.data();
  if (!data) return undefined;
  const provider = states.providerOf(data.provider);
  const state = provider === undefined ? undefined : await states.read(provider, plainFields(data));
  return { provider, state };
}

/** The merge state of a stored verification, if any. */
export const readState = async (states: StateReader, snapshot: DocumentSnapshot | undefined) =>
  (await readStored(states, snapshot))?.state;

/** Marks a verification as needing details from the API, and since when. */
export const detailsPending = () => ({
  detailsPending: true,
  detailsPendingSince: FieldValue.serverTimestamp(),
});

/**
 * Schedules reconciliation's first look at a linked verification whose state just moved (or that
 * was just linked): it is unresolved until its decision's details are stored, which clears the
 * schedule again.
 */
export const firstCheck = (at: number) => ({
  nextCheckAt: Timestamp.fromMillis(at),
  checks: 0,
  givenUpAt: FieldValue.delete(),
  unlinkedCheckAt: FieldValue.delete(),
});

/**
 * What a state that moved schedules: a linked verification's first look; for one nobody has
 * linked, its one look, unless it had it (`checks`). Reconciliation takes linked ones first.
 */
export function scheduleAfterMove(verification: DocumentSnapshot | undefined, at: number) {
  if (typeof verification?.get("uid") === "string") return firstCheck(at);
  return verification?.get("checks") === undefined
    ? { unlinkedCheckAt: Timestamp.fromMillis(at) }
    : {};
}

/** Thrown inside a transaction to end it without a commit: a repeat, or another's verification. */
class Unwritten extends Error {
  constructor(readonly outcome: "duplicate" | "foreign") {
    super(outcome);
  }
}

/** How long a delivery may wait for Firestore before the receiver answers 503. */
export const STORE_DEADLINE_MS = 20_000;

/**
 * Rejects when `work` has not settled within `ms`. The Firestore SDK retries an unreachable
 * backend for minutes; the provider should hear 503 (and retry) long before that. The SDK may still
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
  /** Where this deployment keeps its data (DEFAULT_NAMES unless an instance sets its own). */
  names?: StoreNames;
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
  states: StateReader,
  options: VerificationStoreOptions,
): EventSink {
  const {
    checkAfterMinutes,
    deadlineMs = STORE_DEADLINE_MS,
    now = Date.now,
    names = DEFAULT_NAMES,
  } = options;

  return {
    async apply(provider, recording, source = "webhook") {
      const firestore = db();
      const verificationRef = firestore.collection(names.verifications).doc(recording.id);
      const auditRef = verificationRef.collection(EVENTS).doc(recording.auditId);
      try {
        return await withDeadline(transaction(), deadlineMs);
      } catch (error) {
        if (error instanceof Unwritten) return error.outcome;
        throw error;
      }

      function transaction() {
        return firestore.runTransaction(async (tx): Promise<ApplyOutcome> => {
          const [verification, audit] = await tx.getAll(verificationRef, auditRef);
          // Throwing makes the SDK roll back instead of committing an empty transaction.
          if (audit?.exists) throw new Unwritten("duplicate");
          const stored = await readStored(states, verification);
          // A verification is one provider's: another's word never touches it (ids may collide).
          if (stored && stored.provider !== provider) throw new Unwritten("foreign");
          // One bound on provider times, wherever the observation comes from (a webhook is refused
          // before this; an API answer arrives here): a time further ahead than any clock runs
          // would win every later merge for good, so its state is not merged, only audited.
          const misdated =
            recording.state !== undefined &&
            aheadOfEveryClock(recording.state.observation.at * 1000, now());
          tx.create(auditRef, {
            ...recording.audit,
            source,
            receivedAt: FieldValue.serverTimestamp(),
            ...(misdated ? { ignored: "future-timestamp" } : {}),
          });
          // Erased: the audit entry keeps the delivery a duplicate next time; nothing else moves.
          if (isErased(verification)) return "erased";
          const current = stored?.state;
          // Whatever is written to the verification names its provider.
          const marks = { provider, ...recording.marks };
          const state = misdated ? undefined : recording.state;
          const next = state && mergeState(current, state.observation);
          if (!state || next === current) {
            // Only a mark that changes something is written: no write, no trigger run.
            const changed = ([field, v]: [string, unknown]) => verification?.get(field) !== v;
            if (recording.marks && Object.entries(marks).some(changed)) {
              tx.set(verificationRef, marks, { merge: true });
            }
            return "recorded";
          }
          // merge: other fields of the verification (the user link, API details) are not ours.
          // A new decision needs fresh details from the API; reconciliation looks for the flag.
          const decided = isDecision(state.observation.status);
          tx.set(
            verificationRef,
            {
              ...marks,
              ...state.fields,
              ...(decided ? detailsPending() : {}),
              ...scheduleAfterMove(verification, now() + checkAfterMinutes() * 60_000),
            },
            { merge: true },
          );
          return "applied";
        });
      }
    },
  };
}
