import { z } from "zod";
import { schemaIssues } from "../schema-issues";

/** Persona's ids: a prefix, an underscore, then letters and digits. */
const personaId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,100}$`));

/** 9999-12-31T23:59:59.999Z: the largest instant a Firestore Timestamp can hold. */
const MAX_MS = 253_402_300_799_999;

/** An ISO-8601 time with an offset, as Persona writes it, read as unix milliseconds. */
const isoMillis = z.iso
  .datetime({ offset: true })
  .transform((at) => Date.parse(at))
  .pipe(z.number().int().min(0).max(MAX_MS));

const relation = z.object({ data: z.object({ id: z.string().max(100) }).nullish() }).nullish();

/**
 * The fields of an Inquiry (kebab-case keys) this backend reads. z.object strips the rest: names,
 * birthdates, addresses, `fields`, `note`, `behaviors` and the like are never kept. The status is
 * an open set (Persona adds values without a new API version), so any short word is read.
 */
export const inquirySchema = z.object({
  type: z.literal("inquiry"),
  id: personaId("inq"),
  attributes: z.object({
    status: z.string().regex(/^[a-z_]{1,40}$/),
    "decisioned-at": isoMillis.nullish(),
    "redacted-at": isoMillis.nullish(),
  }),
  relationships: z.object({ "inquiry-template": relation, template: relation }).optional(),
});
export type Inquiry = z.infer<typeof inquirySchema>;

/** Persona's JSON:API event envelope; `payload.data` is read only for inquiry events. */
export const eventSchema = z.object({
  data: z.object({
    type: z.literal("event"),
    id: personaId("evt"),
    attributes: z.object({
      name: z.string().regex(/^[a-z0-9_.-]{1,100}$/),
      "created-at": isoMillis,
      payload: z.object({ data: z.unknown() }),
    }),
  }),
});

const INQUIRY_EVENT = "inquiry.";

/** What a signed event is about. */
export type PersonaDelivery =
  /** An event about an inquiry: its snapshot of the inquiry at `createdAt` (unix ms). */
  | { kind: "inquiry"; eventId: string; name: string; createdAt: number; inquiry: Inquiry }
  /** An event about another object (an account, a verification, a report): acknowledged only. */
  | { kind: "unrelated"; eventId: string; name: string; createdAt: number }
  | { kind: "invalid"; issues: string[] };

/** Reads a verified event's JSON. Issues name paths and codes only, never values. */
export function parsePersonaEvent(json: unknown): PersonaDelivery {
  const event = eventSchema.safeParse(json);
  if (!event.success) return { kind: "invalid", issues: schemaIssues(event.error) };
  const { id, attributes } = event.data.data;
  const { name } = attributes;
  const createdAt = attributes["created-at"];
  if (!name.startsWith(INQUIRY_EVENT)) return { kind: "unrelated", eventId: id, name, createdAt };
  const inquiry = inquirySchema.safeParse(attributes.payload.data);
  if (!inquiry.success) {
    const prefix = "data.attributes.payload.data.";
    return { kind: "invalid", issues: schemaIssues(inquiry.error, prefix) };
  }
  return {
    kind: "inquiry",
    eventId: id,
    name,
    createdAt,
    inquiry: inquiry.data,
  };
}
