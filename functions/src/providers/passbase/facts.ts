import { z } from "zod";
import type { DocumentType, RawFacts } from "../../verification/facts";

/** Passbase's resource types (its documents), in neutral words. */
const DOCUMENT_TYPES: Readonly<Record<string, DocumentType>> = {
  PASSPORT: "passport",
  DRIVERS_LICENSE: "driving_licence",
  NATIONAL_ID: "id_card",
};

/**
 * Only the datapoints facts are read from: names and numbers beside them are never read. The
 * formats of Passbase's datapoints are not confirmed: a value in another form than ISO's gives no
 * fact (the neutral code reads "YYYY-MM-DD" and alpha-2 or alpha-3 codes).
 */
const identityFacts = z.object({
  resources: z
    .array(
      z.object({
        type: z.string().max(64),
        datapoints: z
          .object({
            date_of_birth: z.unknown(),
            date_of_expiry: z.unknown(),
            document_origin_country: z.unknown(),
          })
          .partial()
          .nullish(),
      }),
    )
    .max(20)
    .nullish(),
});

const asText = (value: unknown) => (typeof value === "string" ? value : undefined);

/**
 * The verified values of an identity: its document resource's datapoints (never `owner`, which
 * the user typed). The first resource with datapoints is the document Passbase read.
 */
export function passbaseFacts(identity: unknown): RawFacts {
  const parsed = identityFacts.safeParse(identity);
  if (!parsed.success) return {};
  const resource = parsed.data.resources?.find((candidate) => candidate.datapoints);
  if (!resource?.datapoints) return {};
  const { date_of_birth, date_of_expiry, document_origin_country } = resource.datapoints;
  return {
    birthDate: asText(date_of_birth),
    documentExpiresOn: asText(date_of_expiry),
    issuingCountry: asText(document_origin_country),
    documentType: DOCUMENT_TYPES[resource.type] ?? "other",
  };
}
