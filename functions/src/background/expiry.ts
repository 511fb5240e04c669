import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { Logs } from "../logs";
import { EXPIRY_DUE_FIELD } from "../store/names";
import { updateIfUnchanged } from "../store/update-if-unchanged";
import type { UserSync } from "../store/users";

/**
 * Flags the documents that expired: the users whose `documentExpiryDue` has passed, found by that
 * one indexed field (never a scan), oldest first, at most `limit` a run. Each is synced again as a
 * decision is, so the record (`documentExpired: true`) and, under DOCUMENT_EXPIRY=revoke, the
 * claims follow the same planning; the sync also deletes the due field, so a user is found once.
 */
export function createExpirySweep(deps: {
  db: () => Firestore;
  users: UserSync;
  /** This deployment's users collection. */
  collection: string;
  logs: Logs;
  now?: () => number;
}) {
  const now = deps.now ?? Date.now;
  return {
    async run(limit: number): Promise<{ selected: number; flagged: number }> {
      const due = await deps
        .db()
        .collection(deps.collection)
        .where(EXPIRY_DUE_FIELD, "<=", Timestamp.fromMillis(now()))
        .orderBy(EXPIRY_DUE_FIELD)
        .limit(limit)
        .get();
      let flagged = 0;
      for (const doc of due.docs) {
        const key: unknown = doc.get("verification.key");
        const outcome = typeof key === "string" ? await deps.users.sync(key) : "not-linked";
        if (outcome === "updated") {
          flagged++;
          continue;
        }
        // The record no longer calls for it (erased, superseded): the stale field goes, unless
        // something wrote to the user since the query (then the next run looks again).
        await updateIfUnchanged(doc, { [EXPIRY_DUE_FIELD]: FieldValue.delete() });
      }
      const summary = { selected: due.size, flagged };
      deps.logs.documentsExpired(summary);
      return summary;
    },
  };
}

export type ExpirySweep = ReturnType<typeof createExpirySweep>;
