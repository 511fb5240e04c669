import type { ReconcileOptions, Reconciler } from "../background/reconcile";
import type { Logs } from "../logs";

/**
 * `reconcileVerifications`: the scheduled pass of the reconciler, which only queues checks.
 * Skipped while no provider's API key is set: the checks could not ask anything, and would use up
 * their turns.
 */
export function createReconcileVerifications(deps: {
  apiConfigured: () => boolean;
  reconciler: Reconciler;
  options: () => ReconcileOptions;
  logs: Logs;
}) {
  return async (): Promise<void> => {
    if (!deps.apiConfigured()) {
      deps.logs.reconcileSkipped({ reason: "no provider's API key is set" });
      return;
    }
    await deps.reconciler.run(deps.options());
  };
}
