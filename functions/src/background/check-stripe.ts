import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { Logs } from "../logs";
import type { StripeApi } from "../providers/stripe/api-client";
import { neutralStatus, projectSession } from "../providers/stripe/observe";
import type { IdentityStore } from "../store/identities";
import { readState, type EventSink } from "../store/verification-store";
import { answerFailure, type CheckOutcome } from "./check";

/**
 * The check queue's work for a Stripe session: one `GET` of the session, whose answer is an
 * observation at the API's answer time. It is applied through the same merge as the webhooks
 * only when it says something else than the verification shows, so that a lost or reordered
 * webhook heals within one task run, and a confirmation never starts another round. When it
 * agrees, the decision's minimised projection is stored.
 */
export function createStripeChecker(deps: {
  events: EventSink;
  identities: IdentityStore;
  read: (key: string) => Promise<DocumentSnapshot>;
  maxAttempts: number;
  logs: Logs;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return {
    /** Confirms a session; with `eventId`, for that decision's details, skipped once stored. */
    async confirm(
      api: StripeApi,
      key: string,
      eventId: string | undefined,
      attempt: number,
    ): Promise<CheckOutcome> {
      if (eventId !== undefined && (await deps.identities.standing(key, eventId)) !== "wanted") {
        return "skipped";
      }
      const lookup = await api.getSession(key);
      // One read serves the failure's record, the comparison and the details' decision.
      const current = readState(await deps.read(key));
      if (!lookup.ok) {
        const decision = eventId ?? (current?.status !== "pending" ? current?.eventId : undefined);
        return answerFailure(deps, key, decision, lookup, attempt, () => {
          deps.logs.stripeApiFailed({ key, failure: lookup.failure, status: lookup.status });
        });
      }
      const { session } = lookup;
      if (current?.status !== neutralStatus(session) || current.providerStatus !== session.status) {
        const at = Math.floor(now() / 1000);
        const outcome = await deps.events.applyStripeEvent(
          {
            kind: "session",
            eventId: `api_${at}_${session.status}`,
            type: `identity.verification_session.${session.status}`,
            created: at,
            session,
          },
          "reconciliation",
        );
        // A decision it applies gets its own details task from the trigger, like any decision.
        if (outcome === "applied") return "decided";
      }
      // saveDetails checks again, in its transaction, that this decision is still the current one.
      const stored =
        current !== undefined &&
        current.status !== "pending" &&
        (await deps.identities.saveDetails(key, current.eventId, projectSession(session))) ===
          "wanted";
      if (stored) deps.logs.detailsStored({ key, attempts: attempt, linkedFromMetadata: "no" });
      return stored ? "stored" : "unchanged";
    },
  };
}

export type StripeChecker = ReturnType<typeof createStripeChecker>;
