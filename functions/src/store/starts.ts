import { randomUUID } from "node:crypto";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { DEFAULT_NAMES } from "./names";

/** A user's lease at a provider, by its document id. */
export const startLeaseId = (provider: string, uid: string) => `${provider}:${uid}`;

/** A lease taken: whose, at which provider, and the holder's token, which alone releases it. */
export interface Lease {
  uid: string;
  provider: string;
  holder: string;
}

/**
 * Lets one caller at a time act for a user at a provider: a `startVerification` (which creates
 * and links a verification), or an erasure (which must see every link made before it, and let
 * none be made during it).
 */
export interface StartLeases {
  /** Takes the lease, or answers undefined while another holder has it. */
  acquire(uid: string, provider: string): Promise<Lease | undefined>;
  /** Gives the lease back: only its holder can, so a lease taken over since stays its new holder's. */
  release(lease: Lease): Promise<void>;
}

/** Takes the lease, waiting up to `waitMs` for another holder's; undefined if it never came free. */
export async function waitForLease(
  leases: StartLeases,
  uid: string,
  provider: string,
  waitMs: number,
  pollMs = 200,
): Promise<Lease | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lease = await leases.acquire(uid, provider);
    if (lease || Date.now() > deadline) return lease;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** How long a lease holds without its holder releasing it. */
export const LEASE_MS = 30_000;

/**
 * The Firestore adapter for start leases. A provider without idempotency keys creates a
 * new verification on every call, so two concurrent starts by one user would make two. A lease
 * expires after `leaseMs`, so that a call that died does not hold the user up for good; a link
 * made under a lease checks, in its transaction, that the lease is still its holder's.
 */
export function createStartLeases(
  db: () => Firestore,
  options: { leaseMs?: number; now?: () => number; collection?: string } = {},
): StartLeases {
  const { leaseMs = LEASE_MS, now = Date.now, collection = DEFAULT_NAMES.starts } = options;
  // One document per user and provider while a start is in flight; no client reads or writes it.
  const ref = (uid: string, provider: string) =>
    db().collection(collection).doc(startLeaseId(provider, uid));
  return {
    acquire(uid, provider) {
      const lease = ref(uid, provider);
      return db().runTransaction(async (tx) => {
        const held: unknown = (await tx.get(lease)).get("until");
        if (held instanceof Timestamp && held.toMillis() > now()) return undefined;
        const holder = randomUUID();
        tx.set(lease, { until: Timestamp.fromMillis(now() + leaseMs), holder });
        return { uid, provider, holder };
      });
    },
    async release({ uid, provider, holder }) {
      const lease = ref(uid, provider);
      await db().runTransaction(async (tx) => {
        if ((await tx.get(lease)).get("holder") === holder) tx.delete(lease);
      });
    },
  };
}
