import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { Logs, SignedProvider } from "../logs";
import type { ApiFailed } from "../providers/api-request";
import type { IdentityStore } from "../store/identities";
import { readState, type ApplyOutcome } from "../store/verification-store";
import type { VerificationStatus } from "../verification/observation";
import { answerFailure, type CheckOutcome } from "./check";

/** A provider whose API answers with a verification's current state: Stripe's and Persona's. */
export interface Confirmable<T> {
  provider: SignedProvider;
  /** The API's one answer about `key`. */
  fetch(key: string): Promise<{ ok: true; value: T } | ApiFailed>;
  /** What the answer says: the neutral status (undefined: a word this version does not know). */
  statusOf(value: T): { status: VerificationStatus | undefined; providerStatus: string };
  /** Applies the answer as the provider's observation at `atMs`, audited as reconciliation. */
  applyAt(value: T, atMs: number): Promise<ApplyOutcome>;
  /** What is stored of the answer with a decision: never personal data. */
  project(value: T): Record<string, unknown>;
}

/**
 * The check queue's work for a provider with a confirming API: one lookup, whose answer is an
 * observation at the time of the answer. It is applied through the same merge as the webhooks
 * only when it says something else than the verification shows, so that a lost or reordered
 * webhook heals within one task run, and a confirmation never starts another round. When it
 * agrees, the decision's minimised projection is stored.
 */
export function createConfirmer(deps: {
  identities: IdentityStore;
  read: (key: string) => Promise<DocumentSnapshot>;
  maxAttempts: number;
  logs: Logs;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return {
    /** Confirms `key`; with `eventId`, for that decision's details, skipped once stored. */
    async confirm<T>(
      api: Confirmable<T>,
      key: string,
      eventId: string | undefined,
      attempt: number,
    ): Promise<CheckOutcome> {
      if (eventId !== undefined && (await deps.identities.standing(key, eventId)) !== "wanted") {
        return "skipped";
      }
      const lookup = await api.fetch(key);
      // One read serves the failure's record, the comparison and the details' decision.
      const current = readState(await deps.read(key));
      if (!lookup.ok) {
        const decision = eventId ?? (current?.status !== "pending" ? current?.eventId : undefined);
        return answerFailure(deps, key, decision, lookup, attempt, () => {
          const { failure, status } = lookup;
          deps.logs.providerApiFailed(api.provider, { key, failure, status });
        });
      }
      const seen = api.statusOf(lookup.value);
      if (
        seen.status !== undefined &&
        (current?.status !== seen.status || current.providerStatus !== seen.providerStatus)
      ) {
        // A decision it applies gets its own details task from the trigger, like any decision.
        if ((await api.applyAt(lookup.value, now())) === "applied") return "decided";
      }
      // saveDetails checks again, in its transaction, that this decision is still the current one.
      const stored =
        current !== undefined &&
        current.status !== "pending" &&
        (await deps.identities.saveDetails(key, current.eventId, api.project(lookup.value))) ===
          "wanted";
      if (stored) deps.logs.detailsStored({ key, attempts: attempt, linkedFromMetadata: "no" });
      return stored ? "stored" : "unchanged";
    },
  };
}

export type Confirmer = ReturnType<typeof createConfirmer>;
