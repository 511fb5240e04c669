import { z } from "zod";
import type { DocumentType, RawFacts } from "../../verification/facts";

/** Veriff's document types, in neutral words. */
const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  PASSPORT: "passport",
  ID_CARD: "id_card",
  DRIVERS_LICENSE: "driving_licence",
  RESIDENCE_PERMIT: "residence_permit",
};

const text = z.string().max(32).nullish().catch(null);

/** Only the fields facts are read from: the names and numbers beside them are never read. */
const decisionFacts = z.object({
  verification: z
    .object({
      person: z
        .object({
          dateOfBirth: text,
          yearOfBirth: z
            .union([z.number(), z.string().max(8)])
            .nullish()
            .catch(null),
        })
        .nullish()
        .catch(null),
      document: z.object({ validUntil: text, country: text, type: text }).nullish().catch(null),
    })
    .nullish(),
});

/**
 * The verified values of a decision (`GET /v1/sessions/{id}/decision`): `person.dateOfBirth`, or
 * the year alone where a document gives only `yearOfBirth`; `document.validUntil`, which Veriff
 * extracts only once it has enabled it for the integration (else no expiry fact).
 */
export function veriffFacts(body: unknown): RawFacts {
  const verification = decisionFacts.safeParse(body).data?.verification;
  if (!verification) return {};
  const { person, document } = verification;
  const year = Number(person?.yearOfBirth);
  return {
    birthDate: person?.dateOfBirth ?? (Number.isInteger(year) ? { year } : undefined),
    documentExpiresOn: document?.validUntil,
    issuingCountry: document?.country,
    documentType: document?.type ? (DOCUMENT_TYPES[document.type] ?? "other") : undefined,
  };
}
