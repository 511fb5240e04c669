/**
 * Where one deployment of this backend keeps its data, and the claim it sets. Two instances in one
 * project (a function kit installed twice) must not share them: each reads its own from its
 * params (VERIFICATIONS_COLLECTION, USERS_COLLECTION, VERIFIED_CLAIM) when the functions load.
 */
export interface StoreNames {
  /** The verifications, with their audit trail (`events/`) and disputes (`linkConflicts/`). */
  verifications: string;
  /** Each user's record (`verification`, `attempt`): the app may keep its own fields beside them. */
  users: string;
  /** The start leases: one document per user and provider while a start or erasure runs. */
  starts: string;
  /** The custom claim this backend sets and withdraws, and no other. */
  claim: string;
}

/** Today's names: a standalone deployment, and a kit instance that sets none. */
export const DEFAULT_NAMES: StoreNames = {
  verifications: "verifications",
  users: "users",
  starts: "verificationStarts",
  claim: "identityVerified",
};

/**
 * The field of `users/{uid}` the scheduled run queries for expired documents: when the document
 * shown expires (a timestamp), while it has not. One field, so Firestore's automatic index serves.
 */
export const EXPIRY_DUE_FIELD = "documentExpiryDue";
