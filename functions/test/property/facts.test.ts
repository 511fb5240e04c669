import fc from "fast-check";
import { ageOver, datesAt, deriveFacts } from "../../src/verification/facts";

const DAY_MS = 86_400_000;

/** The plain rule, for one calendar date `today` and one reading of 29 February. */
function ageOn(
  birth: { year: number; month: number; day: number },
  today: Date,
  leapDayIsMarch: boolean,
) {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth() + 1;
  const d = today.getUTCDate();
  let month = birth.month;
  let day = birth.day;
  const leapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month === 2 && day === 29 && !leapYear(y)) [month, day] = leapDayIsMarch ? [3, 1] : [2, 28];
  const hadBirthday = m > month || (m === month && d >= day);
  return y - birth.year - (hadBirthday ? 0 : 1);
}

const birthArb = fc
  .date({
    min: new Date("1900-01-01T00:00:00Z"),
    max: new Date("2030-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((date) => ({
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  }));
// Around birthdays on purpose: a birth date, some years later, some hours either side.
const nearBirthday = fc.tuple(
  birthArb,
  fc.integer({ min: 0, max: 40 }),
  fc.integer({ min: -72, max: 72 }),
);

const zonesAndReadings = (now: Date) => {
  const [first, last] = datesAt(now);
  const out: { today: Date; march: boolean }[] = [];
  for (let day = first; day <= last; day++) {
    for (const march of [false, true]) out.push({ today: new Date(day * DAY_MS), march });
  }
  return out;
};

describe("ageOver against the plain rule, in every time zone", () => {
  it("is true only when everyone's plain age is at least N, false only when it is under N everywhere, else absent", () => {
    fc.assert(
      fc.property(nearBirthday, fc.integer({ min: 1, max: 99 }), ([birth, years, hours], n) => {
        const anniversary = Date.UTC(birth.year + years, birth.month - 1, Math.min(birth.day, 28));
        const now = new Date(anniversary + hours * 3_600_000);
        const ages = zonesAndReadings(now).map(({ today, march }) => ageOn(birth, today, march));
        const result = ageOver(birth, n, now);
        if (ages.every((age) => age >= n)) return result === true;
        if (ages.every((age) => age < n)) return result === false;
        return result === undefined;
      }),
      { numRuns: 20_000 },
    );
  });

  it("never turns from true to anything else as time passes", () => {
    fc.assert(
      fc.property(
        birthArb,
        fc.integer({ min: 1, max: 99 }),
        fc.date({
          min: new Date("1950-01-01T00:00:00Z"),
          max: new Date("2100-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.integer({ min: 1, max: 10_000 }),
        (birth, n, now, laterHours) => {
          if (ageOver(birth, n, now) !== true) return true;
          return ageOver(birth, n, new Date(now.getTime() + laterHours * 3_600_000)) === true;
        },
      ),
    );
  });

  it("gives a fact for a partial date only when every day it allows gives the same one", () => {
    fc.assert(
      fc.property(
        birthArb,
        fc.boolean(),
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: -400, max: 400 }),
        (birth, keepMonth, n, shiftDays) => {
          const partial = keepMonth
            ? { year: birth.year, month: birth.month }
            : { year: birth.year };
          const now = new Date(
            Date.UTC(birth.year + n, 0, 1) + shiftDays * DAY_MS + 12 * 3_600_000,
          );
          const result = ageOver(partial, n, now);
          if (result === undefined) return true;
          // Every full date the parts allow says the same.
          for (let month = 1; month <= 12; month++) {
            if (keepMonth && month !== birth.month) continue;
            for (let day = 1; day <= 31; day++) {
              const date = new Date(Date.UTC(2000, 0, 1));
              date.setUTCFullYear(birth.year, month - 1, day);
              if (date.getUTCMonth() !== month - 1) continue;
              if (ageOver({ year: birth.year, month, day }, n, now) !== result) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it("derives no age from a year before 1900, whatever the date (Stripe's placeholder is year 1)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1899 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        (year, month, day) =>
          deriveFacts({ birthDate: { year, month, day } }, [18, 21], new Date()).ageOver ===
          undefined,
      ),
    );
  });
});
