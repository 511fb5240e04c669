import type { Logs } from "../logs";
import type { IdentityLookup, PassbaseApi } from "../passbase/api-client";
import { metadataUid, projectIdentity } from "../passbase/identity";
import type { IdentityStore } from "../store/identities";
import type { LinkStore } from "../store/links";

export interface DetailsDeps {
  identities: IdentityStore;
  links: LinkStore;
  /** The metadata field that carries the app's user id (param PASSBASE_METADATA_UID_FIELD). */
  uidField: () => string;
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
  async function store(key: string, eventId: string, lookup: IdentityLookup, linked: boolean) {
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
    const uid = linked ? undefined : metadataUid(lookup.identity, deps.uidField());
    const link = uid ? await deps.links.link(key, uid) : undefined;
    deps.logs.detailsStored({ key, attempts: lookup.attempts, linkedFromMetadata: link ?? "no" });
    return "stored" as const;
  }

  return {
    /** Stores a lookup already in hand (reconciliation's), if no other fetch has the decision. */
    async offer(key: string, eventId: string, lookup: IdentityLookup, linked: boolean) {
      if (!(await deps.identities.claimFetch(key, eventId))) return "not-claimed" as const;
      return store(key, eventId, lookup, linked);
    },
    async fetch(
      api: PassbaseApi,
      key: string,
      eventId: string,
      linked: boolean,
    ): Promise<DetailsOutcome> {
      if (!(await deps.identities.claimFetch(key, eventId))) return "not-claimed";
      return store(key, eventId, await api.getIdentity(key), linked);
    },
  };
}

export type DetailsFetcher = ReturnType<typeof createDetailsFetcher>;
