import { personaFacts } from "../facts";

// Persona's verified values come from the government-ID verification only: the inquiry's own
// attributes and `fields` are what the user typed (or a URL prefilled).
describe("Persona's verified values", () => {
  const governmentId = (status: string, birthdate: string, completedAt: string) => ({
    type: "verification/government-id",
    id: `ver_${completedAt}`,
    attributes: {
      status,
      birthdate,
      "expiration-date": "2031-06-30",
      "country-code": "DE",
      "id-class": "pp",
      "completed-at": completedAt,
      "name-first": "Zebedee",
    },
  });

  it("are read from the latest passed government-ID verification, never the inquiry's fields", () => {
    const body = {
      data: {
        type: "inquiry",
        id: "inq_1",
        attributes: { birthdate: "2015-06-01", fields: { birthdate: { value: "2015-06-01" } } },
      },
      included: [
        governmentId("passed", "1980-01-01", "2026-01-01T00:00:00Z"),
        governmentId("passed", "1990-02-14", "2026-02-01T00:00:00Z"),
        governmentId("failed", "2010-01-01", "2026-03-01T00:00:00Z"),
        { type: "verification/selfie", id: "ver_s", attributes: { status: "passed" } },
      ],
    };
    expect(personaFacts(body)).toEqual({
      birthDate: "1990-02-14",
      documentExpiresOn: "2031-06-30",
      issuingCountry: "DE",
      documentType: "passport",
    });
  });

  it("are none without a passed government-ID verification", () => {
    expect(personaFacts({ data: { attributes: { birthdate: "1990-02-14" } } })).toEqual({});
    expect(
      personaFacts({ included: [governmentId("failed", "1990-02-14", "2026-01-01T00:00:00Z")] }),
    ).toEqual({});
  });
});
