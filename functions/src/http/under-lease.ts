import { HttpsError } from "firebase-functions/https";
import type { AccountCheck } from "../store/users";
import { waitForLease, type Lease, type StartLeases } from "../store/starts";

/** What a callable acting for a user at a provider needs: the leases, and Auth's word on the account. */
export interface LeaseDeps {
  leases: StartLeases;
  accounts: AccountCheck;
  /** How long a call waits for another holder's lease (ms). */
  waitMs?: number;
}

/**
 * Runs `work` for the signed-in caller while holding their lease at `provider`, once Auth says
 * the account may still act. The lease orders the call against another start (one verification
 * at a time) and against an erasure, which takes the same leases before it looks for links; the
 * account is asked under the lease, so a start either finishes before the erasure looks, or sees
 * the account gone.
 */
export async function underLease<T>(
  deps: LeaseDeps,
  caller: { uid: string; rawToken: string },
  provider: string,
  work: (lease: Lease) => Promise<T>,
): Promise<T> {
  const lease = await waitForLease(deps.leases, caller.uid, provider, deps.waitMs ?? 20_000);
  if (!lease) {
    throw new HttpsError("unavailable", "A verification is being started for you; try again.");
  }
  try {
    if ((await deps.accounts(caller.rawToken)) !== "ok") {
      throw new HttpsError("unauthenticated", "Your sign-in is no longer valid: sign in again.");
    }
    return await work(lease);
  } finally {
    await deps.leases.release(lease);
  }
}
