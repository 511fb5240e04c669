import {
  ageOver,
  ageOverName,
  alpha2,
  deriveFacts,
  expiredFrom,
  parseAgeThresholds,
  parseExpiryMode,
  readDate,
} from "../../src/verification/facts";

const at = (iso: string) => new Date(iso);

describe("ageOver: ISO 18013-5's 'as old or older than'", () => {
  const born = { year: 2008, month: 5, day: 14 };

  it("is true on the birthday once it has begun everywhere, and false the day before everywhere", () => {
    // Noon UTC is the 14th from UTC−12 (midnight) to UTC+14: the birthday everywhere.
    expect(ageOver(born, 18, at("2026-05-14T12:00:00Z"))).toBe(true);
    // At 11:59 UTC it is still the 13th at UTC−12: not certain.
    expect(ageOver(born, 18, at("2026-05-14T11:59:00Z"))).toBeUndefined();
    // At 09:59 UTC on the 13th it is the 13th even at UTC+14: under 18 everywhere.
    expect(ageOver(born, 18, at("2026-05-13T09:59:00Z"))).toBe(false);
    // From 10:00 UTC on the 13th it is the 14th at UTC+14.
    expect(ageOver(born, 18, at("2026-05-13T10:00:00Z"))).toBeUndefined();
  });

  it("reads a 29 February birthday in a common year as either the 28th or 1 March: certain only after both", () => {
    const leap = { year: 2008, month: 2, day: 29 };
    expect(ageOver(leap, 18, at("2026-02-27T09:00:00Z"))).toBe(false);
    expect(ageOver(leap, 18, at("2026-02-28T12:00:00Z"))).toBeUndefined();
    expect(ageOver(leap, 18, at("2026-03-01T12:00:00Z"))).toBe(true);
    // In a leap year the birthday is the day itself.
    expect(ageOver(leap, 16, at("2024-02-29T12:00:00Z"))).toBe(true);
  });

  it("with a year alone is certain only once the last day of that year has had its birthday", () => {
    const year = { year: 1990 };
    expect(ageOver(year, 18, at("2008-12-31T12:00:00Z"))).toBe(true);
    expect(ageOver(year, 18, at("2008-12-31T11:00:00Z"))).toBeUndefined();
    expect(ageOver(year, 18, at("2008-06-01T12:00:00Z"))).toBeUndefined();
    expect(ageOver(year, 18, at("2007-12-31T09:00:00Z"))).toBe(false);
    expect(ageOver({ year: 1990, month: 2 }, 18, at("2008-02-28T12:00:00Z"))).toBe(true);
    expect(ageOver({ year: 1990, month: 2 }, 18, at("2008-02-27T12:00:00Z"))).toBeUndefined();
  });

  it("says nothing without a year", () => {
    expect(ageOver({ month: 2, day: 14 }, 18, at("2026-01-01T12:00:00Z"))).toBeUndefined();
  });
});

describe("deriveFacts", () => {
  const now = at("2026-12-07T12:00:00Z");

  it("derives each fact from a provider's values, and keeps nothing of them", () => {
    const facts = deriveFacts(
      {
        birthDate: "1990-02-14",
        documentExpiresOn: { year: 2031, month: 6, day: 30 },
        issuingCountry: "deu",
        documentType: "passport",
      },
      [18, 21, 65],
      now,
    );
    expect(facts).toEqual({
      ageOver: { "18": true, "21": true, "65": false },
      documentExpiresOn: "2031-06-30",
      issuingCountry: "DE",
      documentType: "passport",
      factsAt: now,
    });
  });

  it("never reads Stripe's redaction placeholder {1, 1, 1} as a date of birth", () => {
    const facts = deriveFacts({ birthDate: { year: 1, month: 1, day: 1 } }, [18], now);
    expect(facts).toEqual({ factsAt: now });
  });

  it("gives no age for no thresholds, a birth in the future, or a doubtful date", () => {
    expect(deriveFacts({ birthDate: "1990-02-14" }, [], now)).toEqual({ factsAt: now });
    expect(deriveFacts({ birthDate: "2027-01-01" }, [18], now)).toEqual({ factsAt: now });
    for (const birthDate of ["1990-02-30", "14.02.1990", "1990-13-01", { year: 1990, month: 0 }]) {
      expect(deriveFacts({ birthDate }, [18], now)).toEqual({ factsAt: now });
    }
    expect(deriveFacts({ birthDate: { year: 1990, month: null, day: null } }, [18], now)).toEqual({
      ageOver: { "18": true },
      factsAt: now,
    });
  });

  it("gives an expiry only for a whole date, and a country only for a real code", () => {
    expect(deriveFacts({ documentExpiresOn: "2031-06" }, [], now)).toEqual({ factsAt: now });
    expect(deriveFacts({ issuingCountry: "ZZ" }, [], now)).toEqual({ factsAt: now });
    expect(deriveFacts({ issuingCountry: "D" }, [], now)).toEqual({ factsAt: now });
    expect(deriveFacts({ issuingCountry: " gb " }, [], now).issuingCountry).toBe("GB");
    expect(deriveFacts({ issuingCountry: "GBR" }, [], now).issuingCountry).toBe("GB");
  });
});

describe("the parts of a date", () => {
  it("reads ISO strings and parts, and refuses anything else", () => {
    expect(readDate("1990-02-14")).toEqual({ year: 1990, month: 2, day: 14 });
    expect(readDate("1990")).toEqual({ year: 1990, month: undefined, day: undefined });
    expect(readDate({ year: 1990, month: 2, day: null })).toEqual({
      year: 1990,
      month: 2,
      day: undefined,
    });
    expect(readDate("1990-2-14")).toBeUndefined();
    expect(readDate(19900214)).toBeUndefined();
    expect(readDate({ year: "1990" })).toBeUndefined();
  });

  it("expires a document at the start of the day after its last valid day, in UTC", () => {
    expect(new Date(expiredFrom("2026-12-31")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

describe("the params", () => {
  it("reads AGE_THRESHOLDS as ages 1 to 99, and names them as ISO does", () => {
    expect(parseAgeThresholds("")).toEqual({ ok: true, thresholds: [] });
    expect(parseAgeThresholds(" 21, 18 ,18")).toEqual({ ok: true, thresholds: [18, 21] });
    expect(parseAgeThresholds("18,abc")).toEqual({
      ok: false,
      problem: 'AGE_THRESHOLDS holds "abc": list ages from 1 to 99',
    });
    expect(parseAgeThresholds("0").ok).toBe(false);
    expect(parseAgeThresholds("100").ok).toBe(false);
    expect(parseAgeThresholds("1,2,3,4,5,6,7,8,9").ok).toBe(false);
    expect(ageOverName(18)).toBe("age_over_18");
    expect(ageOverName(5)).toBe("age_over_05");
  });

  it("reads DOCUMENT_EXPIRY, flag by default", () => {
    expect(parseExpiryMode("")).toEqual({ ok: true, mode: "flag" });
    expect(parseExpiryMode("revoke")).toEqual({ ok: true, mode: "revoke" });
    expect(parseExpiryMode("delete")).toEqual({
      ok: false,
      problem: 'DOCUMENT_EXPIRY is "delete": use ignore, flag or revoke',
    });
  });

  it("accepts a country code in either form", () => {
    expect(alpha2("NLD")).toBe("NL");
    expect(alpha2(42)).toBeUndefined();
  });
});
