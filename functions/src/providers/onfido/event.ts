import { hash } from "node:crypto";
import { z } from "zod";
import { schemaIssues } from "../schema-issues";

/** Onfido's ids: UUIDs; stored lowercase so one run has one document. */
export const onfidoId = z.guid().transform((id) => id.toLowerCase());

/** 9999-12-31T23:59:59.999Z: the largest instant a Firestore Timestamp can hold. */
const MAX_MS = 253_402_300_799_999;

/** An ISO-8601 time, read as unix milliseconds. */
export const onfidoTime = z.iso
  .datetime({ offset: true })
  .transform((at) => Date.parse(at))
  .pipe(z.number().int().min(0).max(MAX_MS));

/** A status: Onfido's enums are open (its library even adds "11184809"), so any short word. */
const word = z.string().regex(/^[a-z0-9_]{1,40}$/);

/**
 * The envelope `readPayload` returns unvalidated. z.object strips the rest: `resource.output`,
 * `input`, `link`, `sdk_token` and `timeline_file_download_url` are never kept, and
 * `customer_user_id` is never read (only our links name owners).
 */
export const envelopeSchema = z.object({
  payload: z.object({
    resource_type: z.string().regex(/^[a-z_]{1,64}$/),
    action: z.string().regex(/^[a-z_.]{1,100}$/),
    object: z.object({
      id: z.string().min(1).max(100),
      status: word.nullish(),
      completed_at_iso8601: onfidoTime.nullish(),
    }),
    resource: z.object({ updated_at: onfidoTime.nullish() }).nullish(),
  }),
});

/** What a verified body says. */
export type OnfidoWebhook =
  /** A run finished a stage: its id, status, and Onfido's time for it (0 when it gives none). */
  | { kind: "run"; runId: string; status: string | null; atMs: number; action: string }
  /** An event about another resource (a check, a report, a task): acknowledged only. */
  | { kind: "other"; key: string; action: string }
  | { kind: "invalid"; issues: string[] };

/** Reads the verified envelope. Issues name paths and codes only, never values. */
export function parseOnfidoWebhook(json: unknown): OnfidoWebhook {
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) return { kind: "invalid", issues: schemaIssues(parsed.error) };
  const { resource_type: type, action, object, resource } = parsed.data.payload;
  if (type !== "workflow_run" || action !== "workflow_run.completed") {
    return { kind: "other", key: object.id.slice(0, 100), action };
  }
  const runId = onfidoId.safeParse(object.id);
  if (!runId.success) return { kind: "invalid", issues: ["payload.object.id:invalid_format"] };
  return {
    kind: "run",
    runId: runId.data,
    status: object.status ?? null,
    atMs: object.completed_at_iso8601 ?? resource?.updated_at ?? 0,
    action,
  };
}

/**
 * The audit id of a run's word, from its content: Onfido sends no event id, and signs no time,
 * so a repeated or replayed body lands on the same entry.
 */
export const onfidoEventId = (runId: string, status: string, atMs: number) =>
  hash("sha256", JSON.stringify([runId, status, atMs]), "hex");
