import { HttpsError } from "firebase-functions/https";
import type { Request } from "firebase-functions/tasks";
import type { Checker } from "../background/check";
import type { StripeChecker } from "../background/check-stripe";
import { checkTaskSchema } from "../background/queue";
import type { Logs } from "../logs";
import type { PassbaseApi } from "../providers/passbase/api-client";
import type { StripeApi } from "../providers/stripe/api-client";

/**
 * `checkVerification`, the check queue's function: one API lookup per dispatch. A transient
 * failure answers 503, so that Cloud Tasks retries with the queue's backoff; anything else is
 * done (stored, recorded or skipped) and answers 204. `api` is undefined when no API key is set.
 */
export function createCheckVerification(deps: {
  api: () => PassbaseApi | undefined;
  checker: Checker;
  stripeApi: () => Promise<StripeApi | undefined>;
  stripeChecker: StripeChecker;
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
    if (provider === "stripe") {
      const stripe = await deps.stripeApi();
      if (!stripe) {
        deps.logs.detailsSkipped({ key, reason: "STRIPE_SECRET_KEY is not set" });
        return;
      }
      outcome = await deps.stripeChecker.confirm(stripe, key, eventId, attempt);
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
