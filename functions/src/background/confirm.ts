import type { DocumentSnapshot } from "firebase-admin/firestore";
import type { Logs } from "../logs";
import type { ApiFailed } from "../providers/api-request";
import type { Answer, ProviderApi } from "../providers/contract";
import type { LinkStore } from "../store/links";
import { detailsStanding, type IdentityStore } from "../store/identities";
import { readState, type EventSink, type StateReader } from "../store/verification-store";
import { deriveFacts, type Facts } from "../verification/facts";
import { isDecision } from "../verification/observation";
import { isUsableUid } from "../verification/uid";
import { planFailure } from "./plan";

/** What one task run did; `retry` asks the queue to try again with its backoff. */
export type CheckOutcome = "stored" | "decided" | "unchanged" | "failed" | "skipped" | "retry";

/** The provider a task is for, as the logs name it. */
export interface Checked {
  id: string;
  name: string;
  /** The secrets to check when the provider refuses the API key. */
  keyParams: string;
}

export interface ConfirmerDeps {
  events: EventSink;
  identities: IdentityStore;
  links: LinkStore;
  states: StateReader;
  /** The current verification document. */
  read: (key: string) => Promise<DocumentSnapshot>;
  /** Whether a Firebase Auth user has this uid: metadata links only to users that exist. */
  userExists: (uid: string) => Promise<boolean>;
  /** The queue's attempts per task: the last one records a transient failure. */
  maxAttempts: number;
  /** AGE_THRESHOLDS, read on each run. */
  ageThresholds: () => readonly number[];
  logs: Logs;
  now?: () => number;
}

/**
 * The check queue's work, for every provider: one lookup in its API, whose answer is an
 * observation at the time the request was sent (or the provider's own time, where the answer
 * carries one). It is applied through the same merge as the webhooks
 * (audited as `reconciliation`) only when it says something else than the verification shows, so
 * that a lost or reordered webhook heals within one task run and a confirmation never starts
 * another round. When it agrees, the decision's minimised details are stored, and a uid that the
 * provider's metadata names is linked, carefully. Never throws for the API: the outcome says
 * whether the queue should try again.
 */
export function createConfirmer(deps: ConfirmerDeps) {
  const now = deps.now ?? Date.now;

  /**
   * Links through the provider's metadata, a hint the browser can set: only to a user that
   * exists, only into an empty link; a disagreement with the link is marked, never settled here.
   */
  async function linkFromMetadata(provider: string, key: string, uid: string | undefined) {
    if (uid === undefined) return "no";
    if (!isUsableUid(uid)) {
      deps.logs.metadataUidIgnored({ key, reason: "invalid" });
      return "ignored";
    }
    if (!(await deps.userExists(uid))) {
      deps.logs.metadataUidIgnored({ key, reason: "no-such-user" });
      return "ignored";
    }
    const outcome = await deps.links.link(key, uid, "metadata", provider);
    if (outcome === "conflict") deps.logs.linkConflict({ key, source: "metadata" });
    return outcome;
  }

  /**
   * A failed lookup: retried by the queue while transient, otherwise recorded on the verification
   * (when there is a decision to record it for) and logged.
   */
  async function failed(
    provider: Checked,
    key: string,
    decision: string | undefined,
    lookup: ApiFailed,
    attempt: number,
  ): Promise<"retry" | "failed"> {
    const { failure, status, message } = lookup;
    if (planFailure(failure, attempt, deps.maxAttempts) === "retry") {
      deps.logs.apiUnavailable({ key, provider: provider.id, status, attempts: attempt });
      return "retry";
    }
    if (decision !== undefined) {
      await deps.identities.saveError(key, decision, {
        failure,
        status,
        message,
        attempts: attempt,
      });
    }
    deps.logs.apiFailed(provider, { key, failure, status, attempts: attempt });
    return "failed";
  }

  /**
   * The facts of an approved verification, derived from the provider's verified values, which
   * stay in this function's memory. A transient failure retries the task; anything else leaves
   * the facts out (the decision stands) and says why once.
   */
  async function readFacts(
    provider: Checked,
    key: string,
    answer: Answer,
    attempt: number,
  ): Promise<Facts | "retry" | undefined> {
    if (!answer.facts) return undefined;
    const read = await answer.facts();
    if (read.ok) {
      const facts = deriveFacts(read.raw, deps.ageThresholds(), new Date(now()));
      // Nothing derived, nothing kept: a write would only wake the trigger.
      return factNames(facts).length > 0 ? facts : undefined;
    }
    if ("withheld" in read) {
      deps.logs.factsWithheld(provider, { key, missing: read.withheld });
      return undefined;
    }
    if (planFailure(read.failure, attempt, deps.maxAttempts) === "retry") {
      deps.logs.apiUnavailable({
        key,
        provider: provider.id,
        status: read.status,
        attempts: attempt,
      });
      return "retry";
    }
    deps.logs.apiFailed(provider, {
      key,
      failure: read.failure,
      status: read.status,
      attempts: attempt,
    });
    return undefined;
  }

  return {
    /**
     * Derives the facts of the approval `eventId` again, now, from the provider's verified values
     * as it holds them today (a "not yet 18" goes stale on a birthday): asked for by its user.
     * Only while the provider still says approved; a transient failure is the caller's to retry.
     */
    async refreshFacts(
      provider: Checked,
      api: ProviderApi,
      key: string,
      eventId: string,
    ): Promise<RefreshOutcome> {
      const lookup = await api.lookup(key);
      if (!lookup.ok) {
        deps.logs.apiFailed(provider, { key, failure: lookup.failure, status: lookup.status });
        return lookup.failure === "unavailable" ? "unavailable" : "failed";
      }
      // Anything but the approval: the webhooks and the check queue carry the change.
      if (lookup.answer.status !== "approved") return "superseded";
      // The last attempt's rules: a transient failure is not retried here, but by the caller.
      const read = await readFacts(provider, key, lookup.answer, deps.maxAttempts);
      if (read === "retry") return "unavailable";
      if (read === undefined) return "none";
      const saved = await deps.identities.saveFacts(key, eventId, read);
      if (saved === "saved") deps.logs.factsRefreshed({ key, facts: factNames(read) });
      return saved === "saved" ? "refreshed" : "superseded";
    },

    /** Checks `key` at its provider; with `eventId`, for that decision's details, skipped once stored. */
    async confirm(
      provider: Checked,
      api: ProviderApi,
      key: string,
      eventId: string | undefined,
      attempt: number,
    ): Promise<CheckOutcome> {
      if (eventId !== undefined && (await deps.identities.standing(key, eventId)) !== "wanted") {
        return "skipped";
      }
      // The answer is dated when the request was sent: anything the provider decides while it is
      // in flight reaches us by webhook dated later, and must win over this older word.
      const sentAt = now();
      const lookup = await api.lookup(key);
      // One read serves the failure's record, the comparison and the details' decision.
      const snapshot = await deps.read(key);
      const current = await readState(deps.states, snapshot);
      if (!lookup.ok) {
        const decision =
          eventId ?? (current && isDecision(current.status) ? current.eventId : undefined);
        return failed(provider, key, decision, lookup, attempt);
      }
      const { answer } = lookup;
      if (
        answer.status !== undefined &&
        (current?.status !== answer.status || current.providerStatus !== answer.providerStatus)
      ) {
        // A decision it applies gets its own details task from the trigger, like any decision.
        const recording = answer.observe(sentAt);
        const applied =
          recording && (await deps.events.apply(provider.id, recording, "reconciliation"));
        if (applied === "applied") return "decided";
      }
      if (current === undefined || !isDecision(current.status)) return "unchanged";
      if (detailsStanding(snapshot, current.eventId) !== "wanted") return "unchanged";
      let facts: Facts | undefined;
      if (current.status === "approved" && answer.status === "approved") {
        const read = await readFacts(provider, key, answer, attempt);
        if (read === "retry") return "retry";
        facts = read;
      }
      // saveDetails checks again, in its transaction, that this decision is still the current one.
      const stored =
        (await deps.identities.saveDetails(key, current.eventId, answer.details, facts)) ===
        "wanted";
      if (!stored) return "unchanged";
      const linked = await linkFromMetadata(provider.id, key, answer.metadataUid);
      deps.logs.detailsStored({
        key,
        attempts: attempt,
        linkedFromMetadata: linked,
        facts: facts ? factNames(facts) : [],
      });
      return "stored";
    },
  };
}

export type Confirmer = ReturnType<typeof createConfirmer>;

/** What a re-derivation did: new facts stored, none to store, or why not. */
export type RefreshOutcome = "refreshed" | "none" | "superseded" | "unavailable" | "failed";

/** Which facts a derivation gave, for the logs: their names, never their values. */
export const factNames = (facts: Facts) => Object.keys(facts).filter((name) => name !== "factsAt");
