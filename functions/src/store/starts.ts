import { Timestamp, type Firestore } from "firebase-admin/firestore";

/** One document per user and provider while a start is in flight; no client reads or writes it. */
export const STARTS = "verificationStarts";

/** A user's lease at a provider, by its document id. */
export const startLeaseId = (provider: string, uid: string) => `${provider}:${uid}`;

/** Lets one `startVerification` at a time start a verification for a user at a provider. */
export interface StartLeases {
  /** Takes the lease, or answers false while another call holds it. */
  acquire(uid: string, provider: string): Promise<boolean>;
  release(uid: string, provider: string): Promise<void>;
}

/**
 * The Firestore adapter for start leases. A provider without idempotency keys creates a
 * new verification on every call, so two concurrent starts by one user would make two. A lease
 * expires after `leaseMs`, so that a call that died does not hold the user up for good.
 */
export function createStartLeases(
  db: () => Firestore,
  options: { leaseMs?: number; now?: () => number } = {},
): StartLeases {
  const { leaseMs = 30_000, now = Date.now } = options;
  const ref = (uid: string, provider: string) =>
    db().collection(STARTS).doc(startLeaseId(provider, uid));
  return {
    acquire(uid, provider) {
      const lease = ref(uid, provider);
      return db().runTransaction(async (tx) => {
        const held: unknown = (await tx.get(lease)).get("until");
        if (held instanceof Timestamp && held.toMillis() > now()) return false;
        tx.set(lease, { until: Timestamp.fromMillis(now() + leaseMs) });
        return true;
      });
    },
    async release(uid, provider) {
      await ref(uid, provider).delete();
    },
  };
}
