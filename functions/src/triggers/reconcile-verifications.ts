import type { ReconcileOptions, Reconciler } from "../details/reconcile";
import type { Logs } from "../logs";
import type { PassbaseApi } from "../passbase/api-client";

/** `reconcileVerifications`: the scheduled pass of the reconciler; skipped without an API key. */
export function createReconcileVerifications(deps: {
  api: () => PassbaseApi | undefined;
  reconciler: Reconciler;
  options: () => ReconcileOptions;
  logs: Logs;
}) {
  return async (): Promise<void> => {
    const api = deps.api();
    if (!api) {
      deps.logs.detailsSkipped({ key: "*", reason: "PASSBASE_SECRET_API_KEY is not set" });
      return;
    }
    await deps.reconciler.run(api, deps.options());
  };
}
