import type { Change, DocumentSnapshot, FirestoreEvent } from "firebase-functions/firestore";
import { detailsTaskId, planWrite, type Watched } from "../background/plan";
import { checkTask, type CheckQueue } from "../background/queue";
import { stopwatch, type Logs } from "../logs";
import type { UserSync } from "../store/users";
import { isErased } from "../store/verification-store";

function watched(snapshot: DocumentSnapshot | undefined): Watched | undefined {
  if (!snapshot?.exists) return undefined;
  return {
    uid: snapshot.get("uid") as unknown,
    linkedBy: snapshot.get("linkedBy") as unknown,
    conflict: snapshot.get("linkConflict") !== undefined,
    status: snapshot.get("status") as unknown,
    eventId: snapshot.get("eventId") as unknown,
    erased: isErased(snapshot),
    // When the facts were derived: a decision's first facts, or facts derived again.
    facts: (snapshot.get("facts.factsAt") as { toMillis?: () => number } | undefined)?.toMillis?.(),
  };
}

/**
 * `onVerificationWritten`, the one trigger on `verifications/{key}`: carries the decision to the
 * user once the verification is linked (whichever of the link and the review came last), then
 * queues one details task for a new decision. Delivery is at least once and in any order, so the
 * sync acts on the current document, not the event's snapshot; a failure throws, and the platform
 * retries (the queue refuses a task it already has).
 */
export function createOnVerificationWritten(deps: {
  users: UserSync;
  queue: CheckQueue;
  logs: Logs;
}) {
  return async (
    event: FirestoreEvent<Change<DocumentSnapshot> | undefined, { key: string }>,
  ): Promise<void> => {
    const plan = planWrite(watched(event.data?.before), watched(event.data?.after));
    const { key } = event.params;
    if (plan.syncUser) {
      const ms = stopwatch();
      const outcome = await deps.users.sync(key);
      deps.logs.userSynced({ key, outcome, ms: ms() });
    }
    if (plan.detailsFor !== undefined) {
      const eventId = plan.detailsFor;
      const task = checkTask(key, event.data?.after.get("provider"), eventId);
      const outcome = await deps.queue.enqueue(task, detailsTaskId(key, eventId));
      deps.logs.detailsQueued({ key, outcome });
    }
  };
}
