import { z } from "zod";
import { schemaIssues } from "../schema-issues";

/** 9999-12-31T23:59:59Z: the largest instant a Firestore Timestamp can hold. */
const MAX_UNIX_SECONDS = 253_402_300_799;

const unixSeconds = z.int().min(0).max(MAX_UNIX_SECONDS);

// Passbase identity keys are UUIDs; z.guid() takes any 8-4-4-4-12 hex form rather than betting
// on RFC version bits a provider may not honour. Stored lowercase so one identity has one document.
export const identityKey = z.guid().transform((key) => key.toLowerCase());

// z.object strips unknown fields: extras are tolerated but never stored (they may be personal data).
const completed = z.object({
  event: z.literal("VERIFICATION_COMPLETED"),
  key: identityKey,
  status: z.enum(["pending", "approved", "declined"]),
  created: unixSeconds,
  updated: unixSeconds,
  processed: unixSeconds,
});

const reviewed = z.object({
  event: z.literal("VERIFICATION_REVIEWED"),
  key: identityKey,
  status: z.enum(["approved", "declined"]),
  created: unixSeconds,
  updated: unixSeconds,
  processed: unixSeconds,
});

export const statusEventTypes = ["VERIFICATION_COMPLETED", "VERIFICATION_REVIEWED"] as const;

export const statusEventSchema = z.discriminatedUnion("event", [completed, reviewed]);

/** An event that decides a verification's status: the two types this version understands. */
export type StatusEvent = z.infer<typeof statusEventSchema>;
export type StatusEventType = StatusEvent["event"];

/**
 * A well-formed event of a type this version does not know (Passbase later added
 * `DATAPOINT_UPDATED`, `WATCHLIST_MONITORING`, ...). It is kept for the audit trail only.
 */
export const otherEventSchema = z.object({
  event: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/)
    .refine((type) => !(statusEventTypes as readonly string[]).includes(type)),
  key: identityKey,
  status: z
    .string()
    .regex(/^[a-z_]{1,32}$/)
    .optional(),
  created: unixSeconds.optional(),
  updated: unixSeconds.optional(),
  processed: unixSeconds.optional(),
});

export type OtherEvent = z.infer<typeof otherEventSchema>;

/** A valid delivery: one that may move the status, or one kept for the audit trail only. */
export type AcceptedEvent =
  { kind: "status"; event: StatusEvent } | { kind: "other"; event: OtherEvent };

export type ParsedEvent = AcceptedEvent | { kind: "invalid"; issues: string[] };

/**
 * Validates a decrypted delivery. Issues name paths and codes only, never values, so they can be
 * logged without leaking what the body held.
 */
export function parseWebhookEvent(json: unknown): ParsedEvent {
  const status = statusEventSchema.safeParse(json);
  if (status.success) return { kind: "status", event: status.data };
  const other = otherEventSchema.safeParse(json);
  if (other.success) return { kind: "other", event: other.data };
  return {
    kind: "invalid",
    issues: schemaIssues(status.error),
  };
}
