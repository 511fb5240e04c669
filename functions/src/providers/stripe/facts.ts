import { z } from "zod";
import type { DocumentType, RawFacts } from "../../verification/facts";

/** Stripe's document types, in neutral words. */
const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  passport: "passport",
  id_card: "id_card",
  driving_license: "driving_licence",
};

/**
 * What the facts need expanded on a session: the sensitive date of birth and expiry must each be
 * named (expanding `verified_outputs` alone leaves the date of birth out); the report's country
 * and type come with it.
 */
export const FACTS_EXPAND = [
  "verified_outputs.dob",
  "last_verification_report.document.expiration_date",
];

/** What the key needs for them, as Stripe's Dashboard names it. */
export const SENSITIVE_PERMISSION =
  'a restricted key with Identity "Verification Sessions and Reports" and "Access recent ' +
  'sensitive verification results" set to Read (STRIPE_SECRET_KEY)';

const dateParts = z
  .object({
    day: z.number().nullish(),
    month: z.number().nullish(),
    year: z.number().nullish(),
  })
  .nullish()
  .catch(null);

/** Only the fields facts are read from: names, numbers and addresses beside them are not read. */
const expandedSession = z.object({
  redaction: z.unknown().nullish(),
  verified_outputs: z.object({ dob: dateParts }).nullish().catch(null),
  last_verification_report: z
    .object({
      document: z
        .object({
          expiration_date: dateParts,
          issuing_country: z.string().max(8).nullish().catch(null),
          type: z.string().max(32).nullish().catch(null),
        })
        .nullish(),
    })
    // Unexpanded, it is the report's id: no document to read.
    .nullish()
    .catch(null),
});

/**
 * The verified values of a session: `verified_outputs.dob` and the last report's document. A
 * redacted session (or one being redacted) answers placeholders ({1, 1, 1}, "[redacted]"): it
 * yields nothing at all.
 */
export function stripeFacts(session: unknown): RawFacts {
  const parsed = expandedSession.safeParse(session);
  if (!parsed.success || parsed.data.redaction != null) return {};
  const document = parsed.data.last_verification_report?.document;
  return {
    birthDate: parsed.data.verified_outputs?.dob ?? undefined,
    documentExpiresOn: document?.expiration_date ?? undefined,
    issuingCountry: document?.issuing_country ?? undefined,
    documentType: document?.type ? (DOCUMENT_TYPES[document.type] ?? "other") : undefined,
  };
}
