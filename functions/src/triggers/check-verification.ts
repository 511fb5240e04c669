import { HttpsError } from "firebase-functions/https";
import type { Request } from "firebase-functions/tasks";
import type { Checker } from "../background/check";
import type { Confirmable, Confirmer } from "../background/confirm";
import { checkTaskSchema } from "../background/queue";
import type { Logs, SignedProvider } from "../logs";
import type { PassbaseApi } from "../providers/passbase/api-client";

/** The param whose absence turns a provider's checks off. */
const keyParams: Record<SignedProvider, string> = {
  stripe: "STRIPE_SECRET_KEY",
  persona: "PERSONA_API_KEY",
};

/**
 * `checkVerification`, the check queue's function: one API lookup per dispatch. A transient
 * failure answers 503, so that Cloud Tasks retries with the queue's backoff; anything else is
 * done (stored, recorded or skipped) and answers 204. `api` is undefined when no API key is set.
 */
export function createCheckVerification(deps: {
  api: () => PassbaseApi | undefined;
  checker: Checker;
  /** A provider's confirming API for this run; undefined when its key is not set. */
  confirmable: (provider: SignedProvider) => Promise<Confirmable<unknown> | undefined>;
  confirmer: Confirmer;
  logs: Logs;
}) {
  return async (request: Request<unknown>): Promise<void> => {
    const task = checkTaskSchema.safeParse(request.data);
    if (!task.success) {
      deps.logs.taskIgnored({ queue: request.queueName });
      return;
    }
    const { key, eventId, provider } = task.data;
    const attempt = request.retryCount + 1;
    let outcome;
    if (provider !== undefined) {
      const confirmable = await deps.confirmable(provider);
      if (!confirmable) {
        deps.logs.detailsSkipped({ key, reason: `${keyParams[provider]} is not set` });
        return;
      }
      outcome = await deps.confirmer.confirm(confirmable, key, eventId, attempt);
    } else {
      const api = deps.api();
      if (!api) {
        deps.logs.detailsSkipped({ key, reason: "PASSBASE_SECRET_API_KEY is not set" });
        return;
      }
      outcome =
        eventId === undefined
          ? await deps.checker.check(api, key, attempt)
          : await deps.checker.details(api, key, eventId, attempt);
    }
    if (outcome === "retry") {
      throw new HttpsError("unavailable", "the identity API is unavailable; the queue retries");
    }
  };
}
