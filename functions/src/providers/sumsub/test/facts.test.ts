import { sumsubFacts } from "../facts";

// Sumsub's verified values come from `info` (what it extracted), never `fixedInfo` (what the
// applicant or the app supplied).
describe("Sumsub's verified values", () => {
  it("are read from info and its first identity document, never fixedInfo", () => {
    const applicant = {
      fixedInfo: { dob: "2015-06-01", country: "FRA" },
      info: {
        dob: "1990-02-14",
        idDocs: [
          { idDocType: "SELFIE", country: "FRA" },
          { idDocType: "DRIVERS", country: "DEU", validUntil: "2031-06-30", number: "X1" },
        ],
      },
    };
    expect(sumsubFacts(applicant)).toEqual({
      birthDate: "1990-02-14",
      documentExpiresOn: "2031-06-30",
      issuingCountry: "DEU",
      documentType: "driving_licence",
    });
  });

  it("are none without info", () => {
    expect(sumsubFacts({ fixedInfo: { dob: "1990-02-14" } })).toEqual({});
  });
});
