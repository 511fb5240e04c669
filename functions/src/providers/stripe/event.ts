import { z } from "zod";
import { schemaIssues } from "../schema-issues";

/** 9999-12-31T23:59:59Z: the largest instant a Firestore Timestamp can hold. */
const unixSeconds = z.int().min(0).max(253_402_300_799);

/** Stripe's ids: a prefix, an underscore, then letters and digits. */
const stripeId = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,250}$`));

export const sessionStatuses = ["requires_input", "processing", "verified", "canceled"] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

/**
 * The fields of a VerificationSession this backend reads. z.object strips the rest:
 * `verified_outputs`, `provided_details`, `metadata` and the like are never kept.
 */
export const sessionSchema = z.object({
  id: stripeId("vs"),
  object: z.literal("identity.verification_session"),
  status: z.enum(sessionStatuses),
  type: z.string().max(64).nullish(),
  livemode: z.boolean().optional(),
  last_error: z.object({ code: z.string().max(64).nullish() }).nullish(),
  redaction: z.object({ status: z.string().max(32) }).nullish(),
});
export type Session = z.infer<typeof sessionSchema>;

/** The envelope of a Stripe event; `data.object` is read only for identity events. */
export const eventSchema = z.object({
  id: stripeId("evt"),
  object: z.literal("event"),
  type: z.string().regex(/^[a-z0-9_.]{1,100}$/),
  created: unixSeconds,
  livemode: z.boolean(),
  data: z.object({ object: z.unknown() }),
});

const SESSION_EVENT = "identity.verification_session.";

/** What a signed event is about. */
export type StripeDelivery =
  /** An event about a VerificationSession: its snapshot of the session at `created`. */
  | {
      kind: "session";
      eventId: string;
      type: string;
      created: number;
      session: Session;
    }
  /** An event about anything else in the Stripe account: acknowledged, nothing stored. */
  | { kind: "unrelated"; eventId: string; type: string; created: number }
  | { kind: "invalid"; issues: string[] };

/** Reads a verified event's JSON. Issues name paths and codes only, never values. */
export function parseStripeEvent(json: unknown): StripeDelivery {
  const event = eventSchema.safeParse(json);
  if (!event.success) return { kind: "invalid", issues: schemaIssues(event.error) };
  const { id, type, created, data } = event.data;
  if (!type.startsWith(SESSION_EVENT)) return { kind: "unrelated", eventId: id, type, created };
  const session = sessionSchema.safeParse(data.object);
  if (!session.success) {
    return { kind: "invalid", issues: schemaIssues(session.error, "data.object.") };
  }
  return { kind: "session", eventId: id, type, created, session: session.data };
}
