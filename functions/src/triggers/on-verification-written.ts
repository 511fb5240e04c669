import type { Change, FirestoreEvent, DocumentSnapshot } from "firebase-functions/firestore";
import { isDeepStrictEqual } from "node:util";
import { stopwatch, type Logs } from "../logs";
import type { UserSync } from "../store/users";

/** The fields that decide what the user sees; writes to any other field need no work. */
function decisive(snapshot: DocumentSnapshot | undefined) {
  if (!snapshot?.exists) return undefined;
  return {
    uid: snapshot.get("uid") as unknown,
    linkedBy: snapshot.get("linkedBy") as unknown,
    conflict: snapshot.get("linkConflict") !== undefined,
    status: snapshot.get("status") as unknown,
    eventId: snapshot.get("eventId") as unknown,
  };
}

/**
 * `onVerificationWritten`: carries review decisions to the user once the verification is
 * linked, whichever of the link and the review came last. Delivery is at least once and in any
 * order, so it acts on the current document, not on the event's snapshot, and writes nothing
 * when nothing changes; a failure throws, and the platform retries.
 */
export function createOnVerificationWritten(deps: { users: UserSync; logs: Logs }) {
  return async (
    event: FirestoreEvent<Change<DocumentSnapshot> | undefined, { key: string }>,
  ): Promise<void> => {
    const change = event.data;
    if (!change) return;
    const after = decisive(change.after);
    // Deletions and writes to other fields (the user link's time, API details) change nothing.
    if (!after || isDeepStrictEqual(decisive(change.before), after)) return;
    const ms = stopwatch();
    const { key } = event.params;
    const outcome = await deps.users.sync(key);
    deps.logs.userSynced({ key, outcome, ms: ms() });
  };
}
