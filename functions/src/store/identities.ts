import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { ApiFailure } from "../passbase/api-client";
import type { IdentityProjection } from "../passbase/identity";
import { VERIFICATIONS } from "./verification-store";

/** A failed lookup, as stored on the verification. */
export interface DetailsError {
  failure: ApiFailure;
  status: number | null;
  message: string;
  attempts: number;
}

/** How long a fetch holds its claim on a decision; longer than the API client's whole budget. */
const LEASE_MS = 2 * 60 * 1000;

/** Stores what the Passbase API says about a verification, at most once per decision. */
export interface IdentityStore {
  /** Claims the fetch for a decision; false when it is done, failed, or under way elsewhere. */
  claimFetch(key: string, eventId: string): Promise<boolean>;
  saveDetails(key: string, eventId: string, projection: IdentityProjection): Promise<void>;
  saveError(key: string, eventId: string, error: DetailsError): Promise<void>;
}

/**
 * The Firestore adapter for identity details. `identity.eventId` names the decision the details
 * (or the error) belong to; `identityFetch` is the claim of a fetch under way.
 */
export function createIdentityStore(db: () => Firestore, now = Date.now): IdentityStore {
  const ref = (key: string) => db().collection(VERIFICATIONS).doc(key);
  return {
    async claimFetch(key, eventId) {
      return db().runTransaction(async (tx) => {
        const snapshot = await tx.get(ref(key));
        if (snapshot.get("eventId") !== eventId) return false; // a newer decision has its own
        if (snapshot.get("identity.eventId") === eventId) return false; // done, or failed
        const since: unknown = snapshot.get("identityFetch.startedAt");
        const claimed =
          snapshot.get("identityFetch.eventId") === eventId &&
          since instanceof Timestamp &&
          now() - since.toMillis() < LEASE_MS;
        if (claimed) return false;
        tx.update(ref(key), {
          identityFetch: { eventId, startedAt: Timestamp.fromMillis(now()) },
        });
        return true;
      });
    },

    async saveDetails(key, eventId, projection) {
      await ref(key).update({
        identity: { ...projection, eventId, fetchedAt: FieldValue.serverTimestamp() },
        identityFetch: FieldValue.delete(),
        detailsPending: false,
        detailsPendingSince: FieldValue.delete(),
      });
    },

    async saveError(key, eventId, error) {
      // Kept beside any earlier details; `detailsPending` stays, so reconciliation tries again.
      await ref(key).update({
        "identity.eventId": eventId,
        "identity.error": { ...error, at: FieldValue.serverTimestamp() },
        identityFetch: FieldValue.delete(),
      });
    },
  };
}
