import {
  FieldValue,
  Timestamp,
  type QueryDocumentSnapshot,
  type Firestore,
  type UpdateData,
} from "firebase-admin/firestore";
import type { Logs } from "../logs";
import { DEFAULT_NAMES } from "../store/names";
import { updateIfUnchanged } from "../store/update-if-unchanged";
import { isErased } from "../store/verification-store";
import {
  checkTaskId,
  eraseTaskId,
  planCheck,
  planDue,
  unlinkedCheckTaskId,
  type CheckSchedule,
} from "./plan";
import { checkTask, eraseTask, type CheckQueue, type CheckTask } from "./queue";

export interface ReconcileOptions {
  /** Select verifications whose next look is due by this time (ms); the scheduled run: now. */
  dueBy: number;
  /** At most this many verifications per run. */
  limit: number;
}

export interface ReconcileSummary {
  selected: number;
  queued: number;
  givenUp: number;
  /** Of those queued, the one look at verifications nobody has linked. */
  unlinked: number;
}

/**
 * Heals missed webhooks without calling the API itself. Linked verifications come first: it
 * selects those whose next look is due (oldest first), queues one check task for each on the
 * check queue, and moves each one's `nextCheckAt` on with a doubling wait, so that verifications
 * that never resolve step aside and newer ones are always reached; after `maxChecks` looks one is
 * given up, once. What the run has left of its limit goes to verifications nobody has linked
 * (`unlinkedCheckAt`): one look each while they stay unlinked. An erased verification whose
 * provider has not erased it yet is among the first: its erasure is queued again, on the same
 * doubling schedule.
 */
export function createReconciler(deps: {
  db: () => Firestore;
  queue: CheckQueue;
  schedule: () => CheckSchedule;
  logs: Logs;
  now?: () => number;
  /** This deployment's verifications collection. */
  verifications?: string;
}) {
  const now = deps.now ?? Date.now;
  const verifications = deps.verifications ?? DEFAULT_NAMES.verifications;

  return {
    /** One bounded pass over the verifications that are due. */
    async run(options: ReconcileOptions): Promise<ReconcileSummary> {
      const due = (field: string, limit: number) =>
        deps
          .db()
          .collection(verifications)
          .where(field, "<=", Timestamp.fromMillis(options.dueBy))
          .orderBy(field)
          .limit(limit)
          .get();
      const linked = await due("nextCheckAt", options.limit);
      const left = options.limit - linked.size;
      const unlinked = left > 0 ? (await due("unlinkedCheckAt", left)).docs : [];
      const schedule = deps.schedule();
      const summary: ReconcileSummary = {
        selected: linked.size + unlinked.length,
        queued: 0,
        givenUp: 0,
        unlinked: 0,
      };
      // Queued first: if the update fails, the next run queues the same task name again, which
      // Cloud Tasks refuses, and the look is not lost.
      const queueThenMove = async (
        doc: QueryDocumentSnapshot,
        task: CheckTask,
        name: string,
        update: UpdateData<object>,
      ) => {
        await deps.queue.enqueue(task, name);
        summary.queued++;
        await updateIfUnchanged(doc, update);
      };
      await Promise.all(
        [...linked.docs, ...unlinked].map(async (doc) => {
          const checks: unknown = doc.get("checks");
          const counted = typeof checks === "number" ? checks : undefined;
          const isLinked = typeof doc.get("uid") === "string";
          const erased = isErased(doc);
          const provider: unknown = doc.get("provider");
          const plan = erased
            ? planCheck(counted ?? 0, now(), schedule)
            : planDue(isLinked, counted, now(), schedule);
          // Each update only if nothing moved since the query: a webhook resets the schedule.
          switch (plan.kind) {
            case "give-up": {
              const marked = await updateIfUnchanged(doc, {
                givenUpAt: FieldValue.serverTimestamp(),
                nextCheckAt: FieldValue.delete(),
              });
              if (!marked) return;
              summary.givenUp++;
              if (erased) deps.logs.erasureGivenUp({ key: doc.id, checks: counted ?? 0 });
              else deps.logs.givenUp({ key: doc.id, checks: counted ?? 0 });
              return;
            }
            case "drop":
              // Scheduled before unlinked verifications had their one look: it had it.
              await updateIfUnchanged(doc, {
                nextCheckAt: FieldValue.delete(),
                unlinkedCheckAt: FieldValue.delete(),
              });
              return;
            case "look":
              await queueThenMove(doc, checkTask(doc.id, provider), unlinkedCheckTaskId(doc.id), {
                checks: 1,
                nextCheckAt: FieldValue.delete(),
                unlinkedCheckAt: FieldValue.delete(),
              });
              summary.unlinked++;
              return;
            case "check":
              await queueThenMove(
                doc,
                erased ? eraseTask(doc.id, provider) : checkTask(doc.id, provider),
                (erased ? eraseTaskId : checkTaskId)(doc.id, plan.check),
                {
                  checks: plan.check,
                  nextCheckAt: Timestamp.fromMillis(plan.nextCheckAt),
                },
              );
          }
        }),
      );
      deps.logs.reconciled({ ...summary });
      return summary;
    },

    /**
     * Queues a look at one verification now, outside its schedule (`npm run reconcile -- --key`):
     * for an erased one, its erasure at the provider again (after an operator fixed the cause).
     */
    async checkNow(key: string) {
      const doc = await deps.db().collection(verifications).doc(key).get();
      const provider: unknown = doc.get("provider");
      const erased = isErased(doc);
      return deps.queue.enqueue(erased ? eraseTask(key, provider) : checkTask(key, provider));
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
