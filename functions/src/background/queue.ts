import type { Functions } from "firebase-admin/functions";
import { z } from "zod";

/**
 * A task of the check queue: with `eventId`, fetch the details of that decision; with `erase`,
 * ask the provider to erase an erased verification's data; with neither, reconcile the
 * verification with what the API says (its decision, then its details).
 */
export const checkTaskSchema = z.object({
  key: z.string().min(1).max(200),
  eventId: z.string().min(1).max(200).optional(),
  /** The provider's registry id; absent for verifications stored before there was another. */
  provider: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/)
    .optional(),
  erase: z.literal(true).optional(),
});
export type CheckTask = z.infer<typeof checkTaskSchema>;

/** The task for `key`, naming the provider stored on its verification, if it names one. */
export function checkTask(key: string, provider: unknown, eventId?: string): CheckTask {
  const named = checkTaskSchema.shape.provider.safeParse(provider).data;
  return {
    key,
    ...(eventId === undefined ? {} : { eventId }),
    ...(named ? { provider: named } : {}),
  };
}

/** The task that erases `key`'s data at its provider. */
export const eraseTask = (key: string, provider: unknown): CheckTask => ({
  ...checkTask(key, provider),
  erase: true,
});

export interface CheckQueue {
  /** Queues a task; a named task that exists (or ran within about an hour) is not queued again. */
  enqueue(task: CheckTask, id?: string): Promise<"queued" | "exists">;
}

const alreadyExists = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === "functions/task-already-exists";

/**
 * The Cloud Tasks adapter, through firebase-admin's task queue API; it follows
 * CLOUD_TASKS_EMULATOR_HOST on the local stack.
 */
export function createCheckQueue(
  functions: () => Functions,
  region: string,
  /** The check function's deployed name (`kit-<instance>-checkVerification` inside a kit). */
  functionName: string,
): CheckQueue {
  return {
    async enqueue(task, id) {
      try {
        await functions()
          .taskQueue<CheckTask>(`locations/${region}/functions/${functionName}`)
          .enqueue(task, id === undefined ? undefined : { id });
        return "queued";
      } catch (error) {
        if (alreadyExists(error)) return "exists";
        throw error;
      }
    },
  };
}
