import type { ExpirySweep } from "../background/expiry";
import type { ReconcileOptions, Reconciler } from "../background/reconcile";
import type { Logs } from "../logs";

/**
 * `reconcileVerifications`: the scheduled pass. It flags the documents that expired (a Firestore
 * query, no API call), then runs the reconciler, which only queues checks. The reconciler is
 * skipped while no provider's API key is set: the checks could not ask anything, and would use up
 * their turns.
 */
export function createReconcileVerifications(deps: {
  apiConfigured: () => boolean;
  reconciler: Reconciler;
  expiry: ExpirySweep;
  options: () => ReconcileOptions;
  logs: Logs;
}) {
  return async (): Promise<void> => {
    await deps.expiry.run(deps.options().limit);
    if (!deps.apiConfigured()) {
      deps.logs.reconcileSkipped({ reason: "no provider's API key is set" });
      return;
    }
    await deps.reconciler.run(deps.options());
  };
}
