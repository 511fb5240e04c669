import { Timestamp, type Firestore } from "firebase-admin/firestore";
import type { Logs } from "../logs";
import type { PassbaseApi } from "../passbase/api-client";
import { readState, VERIFICATIONS, type EventSink } from "../store/verification-store";
import type { DetailsFetcher } from "./fetch-details";

export interface ReconcileOptions {
  /** Verifications younger than this are left to the webhooks. */
  olderThanMinutes: number;
  /** At most this many verifications per run. */
  limit: number;
}

export type KeyOutcome = "decided" | "details" | "unchanged" | "failed";

export interface ReconcileSummary {
  examined: number;
  decided: number;
  details: number;
  unchanged: number;
  failed: number;
}

/**
 * Heals missed webhooks: asks Passbase's API about verifications still pending, or whose details
 * are missing or failed, and applies what it learns through the same merge as the webhooks
 * (an approved or declined identity counts as a review, audited as `reconciliation`).
 * Idempotent: a second run over healed verifications writes nothing.
 */
export function createReconciler(deps: {
  db: () => Firestore;
  events: EventSink;
  details: DetailsFetcher;
  logs: Logs;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;

  async function reconcileKey(api: PassbaseApi, key: string): Promise<KeyOutcome> {
    const lookup = await api.getIdentity(key);
    if (!lookup.ok) {
      deps.logs.reconcileFailed({ key, failure: lookup.failure, status: lookup.status });
      return "failed";
    }
    const { identity } = lookup;
    let decided = false;
    if (identity.status === "approved" || identity.status === "declined") {
      const updated = identity.updated ?? Math.floor(now() / 1000);
      const outcome = await deps.events.applyEvent(
        {
          kind: "status",
          event: {
            event: "VERIFICATION_REVIEWED",
            key,
            status: identity.status,
            created: identity.created ?? updated,
            updated,
            processed: updated,
          },
        },
        "reconciliation",
      );
      decided = outcome === "applied";
    }
    const snapshot = await deps.db().collection(VERIFICATIONS).doc(key).get();
    const state = readState(snapshot);
    if (
      state &&
      state.status !== "pending" &&
      snapshot.get("identity.eventId") !== state.eventId &&
      (await deps.details.offer(key, state.eventId, lookup)) === "stored"
    ) {
      return decided ? "decided" : "details";
    }
    return decided ? "decided" : "unchanged";
  }

  return {
    reconcileKey,

    /** One bounded pass over the verifications that need it. */
    async run(api: PassbaseApi, options: ReconcileOptions): Promise<ReconcileSummary> {
      const verifications = deps.db().collection(VERIFICATIONS);
      const cutoff = Timestamp.fromMillis(now() - options.olderThanMinutes * 60_000);
      const [pending, missingDetails] = await Promise.all([
        verifications
          .where("status", "==", "pending")
          .where("updated", "<", cutoff)
          .orderBy("updated")
          .limit(options.limit)
          .get(),
        verifications
          .where("detailsPending", "==", true)
          .where("detailsPendingSince", "<", cutoff)
          .orderBy("detailsPendingSince")
          .limit(options.limit)
          .get(),
      ]);
      const keys = [...new Set([...pending.docs, ...missingDetails.docs].map((d) => d.id))].slice(
        0,
        options.limit,
      );
      const summary: ReconcileSummary = {
        examined: 0,
        decided: 0,
        details: 0,
        unchanged: 0,
        failed: 0,
      };
      // One at a time: the API's rate limits matter more than this job's speed.
      for (const key of keys) {
        summary.examined++;
        summary[await reconcileKey(api, key)]++;
      }
      deps.logs.reconciled({ ...summary });
      return summary;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
