import { hash } from "node:crypto";
import { z } from "zod";
import { schemaIssues } from "../schema-issues";

/** 9999-12-31T23:59:59.999Z: the largest instant a Firestore Timestamp can hold. */
const MAX_MS = 253_402_300_799_999;

/** Veriff's session and attempt ids are UUIDs; stored lowercase so one session has one document. */
export const veriffId = z.guid().transform((id) => id.toLowerCase());

/** An ISO-8601 time (Veriff writes 3 or 6 fractional digits), read as unix milliseconds. */
const veriffTime = z.iso
  .datetime({ offset: true })
  .transform((at) => Date.parse(at))
  .pipe(z.number().int().min(0).max(MAX_MS));

/** Veriff's words: statuses and actions are an open set, so any short word is read. */
const word = z.string().regex(/^[a-z_]{1,40}$/);

/**
 * An event webhook (`started`, `submitted`): progress only, and no time. z.object strips the
 * rest: `vendorData` and `endUserId` are whatever the session's creator chose, never kept.
 */
export const eventWebhookSchema = z.object({
  id: veriffId,
  attemptId: veriffId.nullish(),
  code: z.int().min(0).max(99_999),
  action: word,
});

/** What a decision says, from a decision webhook or the decision API: no personal data kept. */
export const decisionSchema = z.object({
  id: veriffId,
  attemptId: veriffId.nullish(),
  status: word,
  code: z.int().min(0).max(99_999).nullish(),
  reasonCode: z.int().min(0).max(99_999).nullish(),
  decisionTime: veriffTime.nullish(),
  acceptanceTime: veriffTime.nullish(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** A decision webhook: `status` is the request's ("success"), `verification` the decision. */
export const decisionWebhookSchema = z.object({ status: word, verification: decisionSchema });

/** What a signed body says about a session. */
export type VeriffWebhook =
  | { kind: "event"; sessionId: string; attemptId: string | null; action: string; code: number }
  | { kind: "decision"; decision: Decision }
  | { kind: "invalid"; issues: string[] };

/** Reads a verified body: a decision webhook, an event webhook, or neither. Issues never hold values. */
export function parseVeriffWebhook(json: unknown): VeriffWebhook {
  const isObject = typeof json === "object" && json !== null;
  if (isObject && "verification" in json) {
    const parsed = decisionWebhookSchema.safeParse(json);
    return parsed.success
      ? { kind: "decision", decision: parsed.data.verification }
      : { kind: "invalid", issues: schemaIssues(parsed.error) };
  }
  const parsed = eventWebhookSchema.safeParse(json);
  if (!parsed.success) return { kind: "invalid", issues: schemaIssues(parsed.error) };
  const { id, attemptId, action, code } = parsed.data;
  return { kind: "event", sessionId: id, attemptId: attemptId ?? null, action, code };
}

/**
 * The audit id of what a webhook or an API answer says, from its validated content: Veriff sends
 * no event id, and signs no time, so a replay of the same body lands on the same entry.
 */
export function veriffEventId(parts: readonly unknown[]): string {
  return hash("sha256", JSON.stringify(parts.map((part) => part ?? null)), "hex");
}
