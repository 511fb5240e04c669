import type { Change, DocumentSnapshot, FirestoreEvent } from "firebase-functions/firestore";
import type { DetailsFetcher } from "../details/fetch-details";
import type { Logs } from "../logs";
import type { PassbaseApi } from "../passbase/api-client";

/**
 * `fetchVerificationDetails`: after a review decision, asks Passbase's API for the identity's
 * details, once per decision. It runs on Firestore writes, never in the webhook's request, so the
 * webhook answers as fast as without it. `api` is undefined when no API key is configured.
 */
export function createFetchVerificationDetails(deps: {
  api: () => PassbaseApi | undefined;
  details: DetailsFetcher;
  logs: Logs;
}) {
  return async (
    event: FirestoreEvent<Change<DocumentSnapshot> | undefined, { key: string }>,
  ): Promise<void> => {
    const after = event.data?.after;
    if (!after?.exists) return;
    const status: unknown = after.get("status");
    const eventId: unknown = after.get("eventId");
    if ((status !== "approved" && status !== "declined") || typeof eventId !== "string") return;
    // Done, failed (reconciliation retries), or claimed: this write is not ours to act on.
    if (after.get("identity.eventId") === eventId) return;
    if (after.get("identityFetch.eventId") === eventId) return;
    const { key } = event.params;
    const api = deps.api();
    if (!api) {
      deps.logs.detailsSkipped({ key, reason: "PASSBASE_SECRET_API_KEY is not set" });
      return;
    }
    await deps.details.fetch(api, key, eventId);
  };
}
