// The made-up person every provider's API stand-in answers about, and whom the Persona and Veriff
// webhooks of the suites carry: recognisable, so that a search can prove none of it is kept
// (test/emulator/facts.test.ts, scripts/test/check-logs.mjs).
const PERSON = {
  givenName: "Zebedee",
  familyName: "Quillfeather",
  birthDate: { year: 1990, month: 2, day: 14 },
  documentNumber: "ZQ7731942",
  // What the facts are derived from beside the date of birth: expected in the facts.
  documentExpiresOn: "2031-06-30",
};

/** The date of birth in each form a provider, a log line or a careless copy may write it. */
const BIRTH_DATE_FORMS = [
  "1990-02-14",
  "14.02.1990",
  "14/02/1990",
  "02/14/1990",
  "19900214",
  "1990/02/14",
  "14-02-1990",
];

/** The year beside the month, in either order, with any separator: "1990-02", "02.1990", "2/1990". */
const YEAR_BESIDE_MONTH = /1990[-./ ]0?2(?!\d)|(?<!\d)0?2[-./ ]1990/;

/** Every needle as [what, text], for searching logs and documents as text. */
const PERSON_NEEDLES = [
  ...BIRTH_DATE_FORMS.map((form) => ["the planted date of birth", form]),
  ["the planted given name", PERSON.givenName],
  ["the planted family name", PERSON.familyName],
  ["the planted document number", PERSON.documentNumber],
];

module.exports = { PERSON, BIRTH_DATE_FORMS, YEAR_BESIDE_MONTH, PERSON_NEEDLES };
