import { z } from "zod";
import type { DocumentType, RawFacts } from "../../verification/facts";

/** Onfido's document types, in neutral words. */
const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  passport: "passport",
  national_identity_card: "id_card",
  driving_licence: "driving_licence",
  residence_permit: "residence_permit",
};

const text = z.string().max(64).nullish().catch(null);

/** A check of the applicant's: its reports, by id. */
export const checksSchema = z.object({
  checks: z
    .array(
      z.object({
        id: z.string().max(64),
        created_at: text,
        report_ids: z.array(z.string().max(64)).max(20).nullish(),
      }),
    )
    .max(100),
});

/** Only the document report's properties facts are read from: names and numbers are not read. */
export const documentReportSchema = z.object({
  name: z.string().max(64),
  properties: z
    .object({
      date_of_birth: text,
      date_of_expiry: text,
      issuing_country: text,
      document_type: text,
    })
    .nullish()
    .catch(null),
});
export type DocumentReport = z.infer<typeof documentReportSchema>;

/**
 * The verified values of a document report's `properties` (each present only where Onfido
 * extracted it): never the applicant, which is what the app sent.
 */
export function onfidoFacts(report: DocumentReport | undefined): RawFacts {
  const properties = report?.properties;
  if (!properties) return {};
  const type = properties.document_type;
  return {
    birthDate: properties.date_of_birth,
    documentExpiresOn: properties.date_of_expiry,
    issuingCountry: properties.issuing_country,
    documentType: type ? (DOCUMENT_TYPES[type] ?? "other") : undefined,
  };
}
