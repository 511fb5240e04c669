// The core of the library, without its 80 locales: only the codes are needed here.
import countries from "i18n-iso-countries/index";

/** The neutral kinds of identity document. */
export const DOCUMENT_TYPES = [
  "passport",
  "id_card",
  "driving_licence",
  "residence_permit",
  "other",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

/** A calendar date as a provider states it: any part may be missing (null or absent). */
export interface DateParts {
  year?: number | null;
  month?: number | null;
  day?: number | null;
}

/**
 * The verified values a provider's API holds, as its folder reads them from the verified objects
 * (never from what the user or the app supplied). They live in memory only, for the derivation.
 */
export interface RawFacts {
  /** "YYYY-MM-DD", "YYYY-MM", "YYYY" or parts. */
  birthDate?: string | DateParts | null;
  /** The document's last valid day: "YYYY-MM-DD" or parts. */
  documentExpiresOn?: string | DateParts | null;
  /** ISO 3166-1 alpha-2 or alpha-3, any case. */
  issuingCountry?: string | null;
  /** The provider's word, mapped by its folder. */
  documentType?: DocumentType;
}

/** What is kept: facts about the person and the document, never the values they come from. */
export interface Facts {
  /** For each configured threshold ("18"), whether the person is that old or older: only when certain. */
  ageOver?: Record<string, boolean>;
  /** "YYYY-MM-DD", the document's last valid day. */
  documentExpiresOn?: string;
  /** ISO 3166-1 alpha-2. */
  issuingCountry?: string;
  documentType?: DocumentType;
  /** When they were derived: a "false" in `ageOver` holds only until the person's birthday. */
  factsAt: Date;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a calendar date, or undefined when it is no date (31 February). */
function dayNumber(year: number, month: number, day: number): number | undefined {
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not read the years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? date.getTime() / DAY_MS : undefined;
}

const isoDate = (days: number) => new Date(days * DAY_MS).toISOString().slice(0, 10);

const part = (value: unknown, min: number, max: number) =>
  typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;

/** Reads a provider's date: its known parts, or undefined when it is not a date at all. */
export function readDate(
  value: unknown,
): { year?: number; month?: number; day?: number } | undefined {
  let parts: DateParts;
  if (typeof value === "string") {
    const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim());
    if (!match) return undefined;
    parts = {
      year: Number(match[1]),
      month: match[2] === undefined ? null : Number(match[2]),
      day: match[3] === undefined ? null : Number(match[3]),
    };
  } else if (typeof value === "object" && value !== null) {
    parts = value;
  } else {
    return undefined;
  }
  const year = part(parts.year, 1, 9999);
  const month = part(parts.month, 1, 12);
  const day = part(parts.day, 1, 31);
  // A part the provider gave but that is not a number in range makes the whole date doubtful.
  const given = (raw: unknown, read: number | undefined) => raw != null && read === undefined;
  if (given(parts.year, year) || given(parts.month, month) || given(parts.day, day)) {
    return undefined;
  }
  if (year !== undefined && month !== undefined && day !== undefined) {
    if (dayNumber(year, month, day) === undefined) return undefined;
  }
  return { year, month, day };
}

/**
 * The earliest year a verified date of birth may name. A redacted verification may answer a
 * placeholder such as {year: 1, month: 1, day: 1}; no living person was born before this.
 */
export const EARLIEST_BIRTH_YEAR = 1900;

/** Every calendar day the known parts allow (a year alone: each of its days). */
function candidateDays(parts: { year?: number; month?: number; day?: number }): number[] {
  if (parts.year === undefined) return [];
  const days: number[] = [];
  for (let month = 1; month <= 12; month++) {
    if (parts.month !== undefined && month !== parts.month) continue;
    for (let day = 1; day <= 31; day++) {
      if (parts.day !== undefined && day !== parts.day) continue;
      const number = dayNumber(parts.year, month, day);
      if (number !== undefined) days.push(number);
    }
  }
  return days;
}

/**
 * The days on which someone born on `birth` turns `years`: the same month and day, that many
 * years later; for 29 February in a common year, 28 February or 1 March (laws differ), so both.
 */
function turnsOn(birth: number, years: number): [number, number] {
  const date = new Date(birth * DAY_MS);
  const year = date.getUTCFullYear() + years;
  const month = date.getUTCMonth() + 1;
  const day = date.getUTCDate();
  const same = dayNumber(year, month, day);
  if (same !== undefined) return [same, same];
  return [dayNumber(year, 2, 28) as number, dayNumber(year, 3, 1) as number];
}

/** The calendar dates somewhere on Earth at an instant: from UTC−12 to UTC+14. */
export function datesAt(now: Date): [number, number] {
  const ms = now.getTime();
  return [Math.floor((ms - 12 * 3_600_000) / DAY_MS), Math.floor((ms + 14 * 3_600_000) / DAY_MS)];
}

/**
 * ISO/IEC 18013-5's `age_over_NN`: whether the person is as old as `years` or older at `now`.
 * A date of birth is a calendar date, and `now` is a different date across time zones: the answer
 * is given only when it is the same for every day of birth the parts allow, in every time zone, and
 * on either reading of a 29 February birthday. Otherwise undefined, never a guess.
 */
export function ageOver(
  birth: { year?: number; month?: number; day?: number },
  years: number,
  now: Date,
): boolean | undefined {
  const days = candidateDays(birth);
  if (days.length === 0) return undefined;
  const [earliestToday, latestToday] = datesAt(now);
  const reached = days.map((day) => turnsOn(day, years));
  if (reached.every(([, last]) => earliestToday >= last)) return true;
  if (reached.every(([first]) => latestToday < first)) return false;
  return undefined;
}

/** ISO 3166-1 alpha-2 from a provider's alpha-2 or alpha-3 code; undefined for anything else. */
export function alpha2(code: unknown): string | undefined {
  if (typeof code !== "string") return undefined;
  const upper = code.trim().toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) return countries.isValid(upper) ? upper : undefined;
  if (/^[A-Z]{3}$/.test(upper)) return countries.alpha3ToAlpha2(upper) ?? undefined;
  return undefined;
}

/** The threshold's claim and fact name, as ISO 18013-5 spells it: two digits. */
export const ageOverName = (years: number) => `age_over_${String(years).padStart(2, "0")}`;

/**
 * The facts a verification's verified values support at `now`, for the configured thresholds:
 * each present only when certain. Never throws for what a provider answered.
 */
export function deriveFacts(raw: RawFacts, thresholds: readonly number[], now: Date): Facts {
  const facts: Facts = { factsAt: now };
  const birth = readDate(raw.birthDate);
  const [, latestToday] = datesAt(now);
  const born =
    birth?.year !== undefined &&
    birth.year >= EARLIEST_BIRTH_YEAR &&
    // Born after today everywhere: not a verified date of birth.
    candidateDays(birth).some((day) => day <= latestToday);
  if (born && thresholds.length > 0) {
    const ages: Record<string, boolean> = {};
    for (const years of thresholds) {
      const over = ageOver(birth, years, now);
      if (over !== undefined) ages[String(years)] = over;
    }
    if (Object.keys(ages).length > 0) facts.ageOver = ages;
  }
  const expiry = readDate(raw.documentExpiresOn);
  if (
    expiry?.year !== undefined &&
    expiry.month !== undefined &&
    expiry.day !== undefined &&
    expiry.year >= EARLIEST_BIRTH_YEAR
  ) {
    facts.documentExpiresOn = isoDate(dayNumber(expiry.year, expiry.month, expiry.day) as number);
  }
  const country = alpha2(raw.issuingCountry);
  if (country !== undefined) facts.issuingCountry = country;
  if (raw.documentType !== undefined && DOCUMENT_TYPES.includes(raw.documentType)) {
    facts.documentType = raw.documentType;
  }
  return facts;
}

/**
 * When a document valid until `expiresOn` ("YYYY-MM-DD") has expired: the start of the next day,
 * in UTC (ms).
 */
export const expiredFrom = (expiresOn: string) => Date.parse(`${expiresOn}T00:00:00Z`) + DAY_MS;

/** AGE_THRESHOLDS: ages between 1 and 99 (ISO's two digits), comma-separated; empty: none. */
export function parseAgeThresholds(
  text: string,
): { ok: true; thresholds: number[] } | { ok: false; problem: string } {
  const items = text
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  const thresholds = [...new Set(items.map(Number))].sort((a, b) => a - b);
  const bad = items.find((item) => !/^\d{1,2}$/.test(item) || Number(item) < 1);
  if (bad !== undefined) {
    return { ok: false, problem: `AGE_THRESHOLDS holds "${bad}": list ages from 1 to 99` };
  }
  if (thresholds.length > MAX_THRESHOLDS) {
    return { ok: false, problem: `AGE_THRESHOLDS lists more than ${MAX_THRESHOLDS} ages` };
  }
  return { ok: true, thresholds };
}

/** At most this many ages: their claims (about 20 bytes each) stay far under Auth's 1,000 bytes. */
export const MAX_THRESHOLDS = 8;

export const EXPIRY_MODES = ["ignore", "flag", "revoke"] as const;
export type ExpiryMode = (typeof EXPIRY_MODES)[number];

/** DOCUMENT_EXPIRY: empty is the default, `flag`; anything else unknown is a problem. */
export function parseExpiryMode(
  text: string,
): { ok: true; mode: ExpiryMode } | { ok: false; problem: string } {
  const value = text.trim() || "flag";
  return (EXPIRY_MODES as readonly string[]).includes(value)
    ? { ok: true, mode: value as ExpiryMode }
    : { ok: false, problem: `DOCUMENT_EXPIRY is "${value}": use ignore, flag or revoke` };
}
