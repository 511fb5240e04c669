import type { Logs } from "../logs";
import type { Eraser } from "../providers/contract";
import type { ErasureReason, ErasureStore } from "../store/erasure";
import { waitForLease, LEASE_MS, type Lease, type StartLeases } from "../store/starts";
import type { ClaimWriter } from "../store/users";
import type { Checked } from "./confirm";
import { eraseTaskId, planErasureFailure } from "./plan";
import { eraseTask, type CheckQueue } from "./queue";

/** What one erasure task did; `retry` asks the queue to try again with its backoff. */
export type EraseOutcome = "done" | "waiting" | "failed" | "skipped" | "retry";

export interface ErasureDeps {
  store: ErasureStore;
  queue: CheckQueue;
  claims: ClaimWriter;
  /** The ids of the deployment's providers: a user may hold a start lease at each. */
  providers: readonly string[];
  /** The leases starts and links hold: an erasure takes the user's at every provider first. */
  leases: StartLeases;
  /** How long it waits for a start in flight to release its lease (ms): past a lease's life. */
  leaseWaitMs?: number;
  /** The queue's attempts per task: the last one leaves the erasure to reconciliation. */
  maxAttempts: number;
  logs: Logs;
}

/**
 * Erasure, for every provider: here first, at once, then at the provider through the check queue.
 * What is stored here goes in one transaction per verification (a tombstone stays, so that a late
 * delivery is still recognised); the provider's call is a task, retried by the queue and then by
 * reconciliation, and its answer is recorded on the tombstone.
 */
export function createErasure(deps: ErasureDeps) {
  const { leaseWaitMs = LEASE_MS + 5_000 } = deps;

  /**
   * Takes the user's lease at every provider, waiting for a start in flight to finish (a lease
   * lives LEASE_MS at most, so this waits no longer than that).
   */
  async function holdAll(uid: string): Promise<Lease[]> {
    const held: Lease[] = [];
    for (const provider of deps.providers) {
      const lease = await waitForLease(deps.leases, uid, provider, leaseWaitMs);
      if (!lease) {
        await Promise.all(held.map((taken) => deps.leases.release(taken)));
        throw new Error(`a start at ${provider} held the user's lease past its life`);
      }
      held.push(lease);
    }
    return held;
  }

  /** Erases the user's verifications, record and claim, holding their leases. */
  async function eraseHeld(uid: string, reason: ErasureReason) {
    let verifications = 0;
    for (const key of await deps.store.find(uid)) {
      const tombstoned = await deps.store.tombstone(key, uid, reason);
      if (tombstoned === undefined) continue;
      verifications++;
      const { provider } = tombstoned;
      const outcome = await deps.queue.enqueue(eraseTask(key, provider), eraseTaskId(key));
      deps.logs.erasureQueued({ key, provider: provider ?? "unlabelled", outcome });
    }
    await deps.store.forget(uid);
    if (reason === "requested") await deps.claims.withdraw(uid);
    deps.logs.userErased({ reason, verifications });
    return { verifications };
  }

  return {
    /**
     * Erases what is the user's: each verification linked to them or disputed by them, their
     * record (this backend's fields; the document too when nothing of the app's is left), and
     * their claim. Answers once each provider's erasure is queued. It holds the user's leases
     * meanwhile: a start or link in flight lands before it looks (and is erased), or after it
     * (and, for a deleted account, is refused by Auth).
     */
    async eraseUser(uid: string, reason: ErasureReason): Promise<{ verifications: number }> {
      // The one line that names the user: where an operator finds that their erasure began.
      deps.logs.erasureStarted({ uid, reason });
      const held = await holdAll(uid);
      try {
        return await eraseHeld(uid, reason);
      } finally {
        // Released: the lease documents go, and with them the last document naming the user.
        await Promise.all(held.map((lease) => deps.leases.release(lease)));
      }
    },

    /** One erasure task: asks the provider to erase `key`'s data, and records its answer. */
    async eraseAt(
      provider: Checked,
      eraser: Eraser | { off: string },
      key: string,
      attempt: number,
    ): Promise<EraseOutcome> {
      const tombstone = await deps.store.read(key);
      if (tombstone === undefined || tombstone.state === "done") return "skipped";
      const answer =
        "off" in eraser
          ? ({ ok: false, failure: "off", status: null, message: eraser.off } as const)
          : await eraser.erase(key, tombstone.kept);
      if (answer.ok) {
        await deps.store.record(key, { state: "done", attempts: attempt, ...answer.erased });
        deps.logs.erasureDone({
          key,
          provider: provider.id,
          outcome: answer.erased.outcome,
          stillHeld: answer.erased.stillHeld,
          attempts: attempt,
        });
        return "done";
      }
      const { failure, status, message } = answer;
      const code = "code" in answer ? answer.code : undefined;
      const plan = planErasureFailure(failure, attempt, deps.maxAttempts);
      const fields = { key, provider: provider.id, failure, status, attempts: attempt };
      if (plan === "retry") {
        deps.logs.erasureRetried(fields);
        return "retry";
      }
      const state = plan === "wait" ? "waiting" : "failed";
      const moved = await deps.store.record(key, {
        state,
        failure,
        status,
        message,
        ...(code === undefined ? {} : { code }),
        attempts: attempt,
      });
      if (state === "waiting") deps.logs.erasureWaiting(fields);
      // Reported once: an operator acts on it by hand.
      else if (moved) deps.logs.erasureFailed(provider, { ...fields, detail: message, code });
      return state;
    },
  };
}

export type Erasure = ReturnType<typeof createErasure>;
