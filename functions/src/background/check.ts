import type { Logs } from "../logs";
import type { IdentityLookup, PassbaseApi } from "../providers/passbase/api-client";
import { metadataUid, projectIdentity, type Identity } from "../providers/passbase/identity";
import type { DetailsError, IdentityStore } from "../store/identities";
import type { LinkStore } from "../store/links";
import { readState, type EventSink } from "../store/verification-store";
import { isUsableUid } from "../verification/uid";
import { planFailure } from "./plan";
import type { DocumentSnapshot } from "firebase-admin/firestore";

export interface CheckerDeps {
  events: EventSink;
  identities: IdentityStore;
  links: LinkStore;
  /** The current verification document. */
  read: (key: string) => Promise<DocumentSnapshot>;
  /** The metadata field that carries the app's user id (param PASSBASE_METADATA_UID_FIELD). */
  uidField: () => string;
  /** Whether a Firebase Auth user has this uid: metadata links only to users that exist. */
  userExists: (uid: string) => Promise<boolean>;
  /** Whether to store the owner's name and e-mail (param PASSBASE_STORE_OWNER). */
  includeOwner: () => boolean;
  /** The queue's attempts per task: the last one records a transient failure. */
  maxAttempts: number;
  logs: Logs;
  now?: () => number;
}

/** What one task run did; `retry` asks the queue to try again with its backoff. */
export type CheckOutcome = "stored" | "decided" | "unchanged" | "failed" | "skipped" | "retry";

/**
 * A failed lookup, for any provider: retried by the queue while transient, otherwise recorded on
 * the verification (when there is a decision to record it for) and logged by `logFailed`.
 */
export async function answerFailure(
  deps: Pick<CheckerDeps, "identities" | "logs" | "maxAttempts">,
  key: string,
  decision: string | undefined,
  lookup: { failure: DetailsError["failure"]; status: number | null; message: string },
  attempt: number,
  logFailed: () => void,
): Promise<"retry" | "failed"> {
  const { failure, status, message } = lookup;
  if (planFailure(failure, attempt, deps.maxAttempts) === "retry") {
    deps.logs.apiUnavailable({ key, status, attempts: attempt });
    return "retry";
  }
  if (decision !== undefined) {
    await deps.identities.saveError(key, decision, { failure, status, message, attempts: attempt });
  }
  logFailed();
  return "failed";
}

/**
 * One API lookup per task run, applied to the verification: the work of the check queue. A
 * decision's task stores its details; a reconciliation task also applies the API's decision
 * through the same merge as the webhooks (audited as `reconciliation`). Never throws for the API:
 * the outcome says whether the queue should try again.
 */
export function createChecker(deps: CheckerDeps) {
  const now = deps.now ?? Date.now;

  /**
   * Links through the identity's metadata, a hint the browser can set: only to a user that
   * exists, only into an empty link; a disagreement with the link is marked, never settled here.
   */
  async function linkFromMetadata(key: string, uid: string | undefined) {
    if (uid === undefined) return "no";
    if (!isUsableUid(uid)) {
      deps.logs.metadataUidIgnored({ key, reason: "invalid" });
      return "ignored";
    }
    if (!(await deps.userExists(uid))) {
      deps.logs.metadataUidIgnored({ key, reason: "no-such-user" });
      return "ignored";
    }
    const outcome = await deps.links.link(key, uid, "metadata");
    if (outcome === "conflict") deps.logs.linkConflict({ key, source: "metadata" });
    return outcome;
  }

  async function storeDetails(key: string, eventId: string, identity: Identity, attempt: number) {
    const projection = projectIdentity(identity, deps.includeOwner());
    if ((await deps.identities.saveDetails(key, eventId, projection)) !== "wanted") return false;
    const link = await linkFromMetadata(key, metadataUid(identity, deps.uidField()));
    deps.logs.detailsStored({ key, attempts: attempt, linkedFromMetadata: link });
    return true;
  }

  const failed = (
    key: string,
    eventId: string | undefined,
    lookup: Extract<IdentityLookup, { ok: false }>,
    attempt: number,
  ) =>
    answerFailure(deps, key, eventId, lookup, attempt, () => {
      deps.logs.detailsFailed({
        key,
        failure: lookup.failure,
        status: lookup.status,
        attempts: attempt,
      });
    });

  /** Applies an approved or declined identity as a review at the API's time. */
  async function applyDecision(key: string, identity: Identity) {
    if (identity.status !== "approved" && identity.status !== "declined") return false;
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
    return outcome === "applied";
  }

  return {
    /** The details of one decision, unless they are stored or the decision is superseded. */
    async details(
      api: PassbaseApi,
      key: string,
      eventId: string,
      attempt: number,
    ): Promise<CheckOutcome> {
      if ((await deps.identities.standing(key, eventId)) !== "wanted") return "skipped";
      const lookup = await api.getIdentity(key);
      if (!lookup.ok) return failed(key, eventId, lookup, attempt);
      return (await storeDetails(key, eventId, lookup.identity, attempt)) ? "stored" : "skipped";
    },

    /** Reconciles a verification with the API: its decision first, then the decision's details. */
    async check(api: PassbaseApi, key: string, attempt: number): Promise<CheckOutcome> {
      const lookup = await api.getIdentity(key);
      if (!lookup.ok) {
        const state = readState(await deps.read(key));
        const decision = state && state.status !== "pending" ? state.eventId : undefined;
        return failed(key, decision, lookup, attempt);
      }
      // A decision it applies gets its own details task from the trigger, like any decision:
      // one fetch per decision, whoever made it.
      if (await applyDecision(key, lookup.identity)) return "decided";
      const state = readState(await deps.read(key));
      const stored =
        state !== undefined &&
        state.status !== "pending" &&
        (await storeDetails(key, state.eventId, lookup.identity, attempt));
      return stored ? "stored" : "unchanged";
    },
  };
}

export type Checker = ReturnType<typeof createChecker>;
