import { z } from "zod";
import type { DocumentType, RawFacts } from "../../verification/facts";

/** Sumsub's identity document types, in neutral words. */
const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  PASSPORT: "passport",
  ID_CARD: "id_card",
  DRIVERS: "driving_licence",
  RESIDENCE_PERMIT: "residence_permit",
};

const text = z.string().max(32).nullish().catch(null);

/**
 * Only `info` (what Sumsub extracted and verified) and only the fields facts are read from:
 * `fixedInfo`, which the applicant or the app supplied, is never read.
 */
const applicantFacts = z.object({
  info: z
    .object({
      dob: text,
      country: text,
      idDocs: z
        .array(
          z.object({ idDocType: text, country: text, validUntil: text, dob: text }).catch({
            idDocType: null,
            country: null,
            validUntil: null,
            dob: null,
          }),
        )
        .max(50)
        .nullish()
        .catch(null),
    })
    .nullish(),
});

/**
 * The verified values of an applicant (`GET /resources/applicants/{id}/one`): `info.dob`, and its
 * first identity document in `info.idDocs` (a passport, an ID card, a driving licence or a
 * residence permit) for the expiry, the country (alpha-3 in Sumsub's examples) and the type.
 */
export function sumsubFacts(applicant: unknown): RawFacts {
  const info = applicantFacts.safeParse(applicant).data?.info;
  if (!info) return {};
  const documents = info.idDocs ?? [];
  const document =
    documents.find((doc) => doc.idDocType && doc.idDocType in DOCUMENT_TYPES) ?? documents[0];
  const type = document?.idDocType;
  return {
    birthDate: info.dob ?? document?.dob,
    documentExpiresOn: document?.validUntil,
    issuingCountry: document?.country ?? info.country,
    documentType: type ? (DOCUMENT_TYPES[type] ?? "other") : undefined,
  };
}
