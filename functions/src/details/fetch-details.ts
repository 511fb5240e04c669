import type { Logs } from "../logs";
import type { IdentityLookup, PassbaseApi } from "../passbase/api-client";
import { metadataUid, projectIdentity } from "../passbase/identity";
import type { IdentityStore } from "../store/identities";
import type { LinkStore } from "../store/links";
import { isUsableUid } from "../verification/uid";

export interface DetailsDeps {
  identities: IdentityStore;
  links: LinkStore;
  /** The metadata field that carries the app's user id (param PASSBASE_METADATA_UID_FIELD). */
  uidField: () => string;
  /** Whether a Firebase Auth user has this uid: metadata links only to users that exist. */
  userExists: (uid: string) => Promise<boolean>;
  /** Whether to store the owner's name and e-mail (param PASSBASE_STORE_OWNER). */
  includeOwner: () => boolean;
  logs: Logs;
}

export type DetailsOutcome = "stored" | "failed" | "not-claimed";

/**
 * Fetches and stores an identity's details for one decision, unless another fetch has it. A
 * failure is recorded on the verification, never thrown: the user update does not wait on the
 * API, and reconciliation tries again later.
 */
export function createDetailsFetcher(deps: DetailsDeps) {
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

  async function store(key: string, eventId: string, lookup: IdentityLookup) {
    if (!lookup.ok) {
      const { failure, status, message, attempts } = lookup;
      await deps.identities.saveError(key, eventId, { failure, status, message, attempts });
      deps.logs.detailsFailed({ key, failure, status, attempts });
      return "failed" as const;
    }
    await deps.identities.saveDetails(
      key,
      eventId,
      projectIdentity(lookup.identity, deps.includeOwner()),
    );
    const link = await linkFromMetadata(key, metadataUid(lookup.identity, deps.uidField()));
    deps.logs.detailsStored({ key, attempts: lookup.attempts, linkedFromMetadata: link });
    return "stored" as const;
  }

  return {
    /** Stores a lookup already in hand (reconciliation's), if no other fetch has the decision. */
    async offer(key: string, eventId: string, lookup: IdentityLookup) {
      if (!(await deps.identities.claimFetch(key, eventId))) return "not-claimed" as const;
      return store(key, eventId, lookup);
    },
    async fetch(api: PassbaseApi, key: string, eventId: string): Promise<DetailsOutcome> {
      if (!(await deps.identities.claimFetch(key, eventId))) return "not-claimed";
      return store(key, eventId, await api.getIdentity(key));
    },
  };
}

export type DetailsFetcher = ReturnType<typeof createDetailsFetcher>;
