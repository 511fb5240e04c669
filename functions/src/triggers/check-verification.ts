import { HttpsError } from "firebase-functions/https";
import type { Request } from "firebase-functions/tasks";
import type { Checked, Confirmer } from "../background/confirm";
import type { Erasure } from "../background/erase";
import { checkTaskSchema } from "../background/queue";
import type { Logs } from "../logs";
import type { ProviderModule } from "../providers/contract";

/** A provider the check queue can ask, and its code. */
export type CheckedProvider = Checked & { module(): Promise<ProviderModule> };

/**
 * `checkVerification`, the check queue's function: one API call per dispatch, at the provider
 * the verification was stored for: a lookup, or an erasure. A transient failure answers 503, so
 * that Cloud Tasks retries with the queue's backoff; anything else is done (stored, recorded or
 * skipped) and answers 204.
 */
export function createCheckVerification(deps: {
  /** The provider of a task (its `provider`, or who owns unlabelled verifications), if chosen. */
  providerOf: (provider: unknown) => CheckedProvider | undefined;
  confirmer: Confirmer;
  erasure: Pick<Erasure, "eraseAt">;
  logs: Logs;
}) {
  return async (request: Request<unknown>): Promise<void> => {
    const task = checkTaskSchema.safeParse(request.data);
    const provider = task.success ? deps.providerOf(task.data.provider) : undefined;
    if (task.success && task.data.erase && !provider) {
      // Erased here, but its provider is no longer chosen: recorded, for an operator, once.
      const id = task.data.provider ?? "unlabelled";
      const off = { off: `${id} is not among VERIFICATION_PROVIDERS` };
      const unchosen = { id, name: id, keyParams: "" };
      await deps.erasure.eraseAt(unchosen, off, task.data.key, request.retryCount + 1);
      return;
    }
    if (!task.success || !provider) {
      deps.logs.taskIgnored({ queue: request.queueName });
      return;
    }
    const { key, eventId, erase } = task.data;
    const attempt = request.retryCount + 1;
    if (erase) {
      const eraser = await (await provider.module()).eraser();
      if ((await deps.erasure.eraseAt(provider, eraser, key, attempt)) === "retry") {
        throw new HttpsError("unavailable", "the provider's API is unavailable; the queue retries");
      }
      return;
    }
    const api = await (await provider.module()).api();
    if ("off" in api) {
      deps.logs.detailsSkipped({ key, reason: api.off });
      return;
    }
    const outcome = await deps.confirmer.confirm(provider, api, key, eventId, attempt);
    if (outcome === "retry") {
      throw new HttpsError("unavailable", "the provider's API is unavailable; the queue retries");
    }
  };
}
