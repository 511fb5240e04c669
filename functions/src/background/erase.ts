import type { Logs } from "../logs";
import type { Eraser } from "../providers/contract";
import type { ErasureReason, ErasureStore } from "../store/erasure";
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
  return {
    /**
     * Erases what is the user's: each verification linked to them or disputed by them, their
     * record (whole when the account is gone; only this backend's fields when they asked), and
     * their claim. Answers once each provider's erasure is queued.
     */
    async eraseUser(uid: string, reason: ErasureReason): Promise<{ verifications: number }> {
      // The one line that names the user: where an operator finds that their erasure began.
      deps.logs.erasureStarted({ uid, reason });
      let verifications = 0;
      for (const key of await deps.store.find(uid)) {
        const tombstoned = await deps.store.tombstone(key, uid, reason);
        if (tombstoned === undefined) continue;
        verifications++;
        const { provider } = tombstoned;
        const outcome = await deps.queue.enqueue(eraseTask(key, provider), eraseTaskId(key));
        deps.logs.erasureQueued({ key, provider: provider ?? "unlabelled", outcome });
      }
      await deps.store.forget(uid, {
        wholeRecord: reason === "account-deleted",
        providers: deps.providers,
      });
      if (reason === "requested") await deps.claims.withdraw(uid);
      deps.logs.userErased({ reason, verifications });
      return { verifications };
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
