import { FieldValue, type DocumentSnapshot, type Firestore } from "firebase-admin/firestore";
import type { ApiFailure } from "../providers/api-request";
import type { Facts } from "../verification/facts";
import { DEFAULT_NAMES } from "./names";

/** A failed lookup, as stored on the verification. */
export interface DetailsError {
  failure: ApiFailure;
  status: number | null;
  message: string;
  /** The task's attempt that recorded it. */
  attempts: number;
}

/** Where a decision's details stand: still wanted, already stored, or the decision superseded. */
export type DetailsStanding = "wanted" | "stored" | "superseded";

/** Whether details for the decision `eventId` are still wanted on this verification. */
export function detailsStanding(snapshot: DocumentSnapshot, eventId: string): DetailsStanding {
  // The state's own event id: a newer decision has its own details.
  if (snapshot.get("eventId") !== eventId) return "superseded";
  return snapshot.get("identity.eventId") === eventId ? "stored" : "wanted";
}

/** Stores what the provider's API says about a verification, at most once per decision. */
export interface IdentityStore {
  standing(key: string, eventId: string): Promise<DetailsStanding>;
  /** Stores the details if still wanted; `identity.eventId` names the decision they belong to. */
  saveDetails(
    key: string,
    eventId: string,
    /** The provider's minimised projection: nothing that identifies the person. */
    projection: object,
    /** What an approval's verified values say, derived: never the values themselves. */
    facts?: Facts,
  ): Promise<DetailsStanding>;
  /** Records a failure beside any earlier details; `detailsPending` stays, for reconciliation. */
  saveError(key: string, eventId: string, error: DetailsError): Promise<DetailsStanding>;
  /**
   * Replaces the facts of the decision `eventId`, derived again, once its details are stored;
   * "superseded" when another decision (or an erasure) came since.
   */
  saveFacts(key: string, eventId: string, facts: Facts): Promise<"saved" | "superseded">;
}

/**
 * The Firestore adapter for identity details. Each save is a transaction that first checks the
 * decision is still the verification's and still without details, so two tasks for one decision
 * (a retry racing a reconciliation check) store once, and an error never lands on top of details.
 */
export function createIdentityStore(
  db: () => Firestore,
  verifications = DEFAULT_NAMES.verifications,
): IdentityStore {
  const ref = (key: string) => db().collection(verifications).doc(key);

  const saveIfWanted = (
    key: string,
    eventId: string,
    fields: (snapshot: DocumentSnapshot) => Record<string, unknown>,
  ) =>
    db().runTransaction(async (tx) => {
      const snapshot = await tx.get(ref(key));
      const standing = detailsStanding(snapshot, eventId);
      if (standing === "wanted") tx.update(ref(key), fields(snapshot));
      return standing;
    });

  return {
    async standing(key, eventId) {
      return detailsStanding(await ref(key).get(), eventId);
    },

    saveDetails(key, eventId, projection, facts) {
      return saveIfWanted(key, eventId, (snapshot) => ({
        identity: { ...projection, eventId, fetchedAt: FieldValue.serverTimestamp() },
        // The decision they belong to, so that a later one never shows an earlier one's facts.
        ...(facts ? { facts: { ...facts, eventId } } : {}),
        // Resolved: nothing left for reconciliation to look at. An unlinked verification keeps
        // its count: it had its one look, whatever it says next, until someone links it.
        detailsPending: false,
        detailsPendingSince: FieldValue.delete(),
        nextCheckAt: FieldValue.delete(),
        unlinkedCheckAt: FieldValue.delete(),
        ...(typeof snapshot.get("uid") === "string" ? { checks: FieldValue.delete() } : {}),
      }));
    },

    saveFacts(key, eventId, facts) {
      return db().runTransaction(async (tx) => {
        const snapshot = await tx.get(ref(key));
        if (detailsStanding(snapshot, eventId) !== "stored") return "superseded";
        tx.update(ref(key), { facts: { ...facts, eventId } });
        return "saved";
      });
    },

    saveError(key, eventId, error) {
      return saveIfWanted(key, eventId, () => ({
        "identity.error": { ...error, eventId, at: FieldValue.serverTimestamp() },
      }));
    },
  };
}
