import { z } from "zod";
import type { DocumentType, RawFacts } from "../../verification/facts";

/** Persona's government-ID classes, in neutral words (a passport card is not a passport book). */
const ID_CLASSES: Readonly<Record<string, DocumentType>> = {
  pp: "passport",
  dl: "driving_licence",
  id: "id_card",
  rp: "residence_permit",
};

/** The government-ID verification's attributes facts are read from, and nothing else. */
export const GOVERNMENT_ID_FIELDS =
  "status,birthdate,expiration-date,country-code,id-class,completed-at";

const governmentId = z.object({
  type: z.literal("verification/government-id"),
  attributes: z.object({
    status: z.string().max(32).nullish(),
    birthdate: z.string().max(32).nullish(),
    "expiration-date": z.string().max(32).nullish(),
    "country-code": z.string().max(8).nullish(),
    "id-class": z.string().max(16).nullish(),
    "completed-at": z.string().max(64).nullish(),
  }),
});

const withVerifications = z.object({ included: z.array(z.unknown()).max(200).nullish() });

/**
 * The verified values of an inquiry: its latest passed government-ID verification (included on
 * request), never the inquiry's own attributes or `fields`, which the user can write and a URL
 * can prefill.
 */
export function personaFacts(body: unknown): RawFacts {
  const included = withVerifications.safeParse(body).data?.included ?? [];
  const passed = included
    .map((object) => governmentId.safeParse(object).data)
    .filter((verification) => verification?.attributes.status === "passed")
    .sort((a, b) =>
      (a?.attributes["completed-at"] ?? "").localeCompare(b?.attributes["completed-at"] ?? ""),
    )
    .pop();
  if (!passed) return {};
  const { attributes } = passed;
  const idClass = attributes["id-class"];
  return {
    birthDate: attributes.birthdate,
    documentExpiresOn: attributes["expiration-date"],
    issuingCountry: attributes["country-code"],
    documentType: idClass ? (ID_CLASSES[idClass] ?? "other") : undefined,
  };
}
