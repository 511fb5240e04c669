import { hash } from "node:crypto";
import { z } from "zod";
import { schemaIssues } from "../schema-issues";

/** Sumsub's applicant ids: 24 hex digits (a MongoDB ObjectId). */
export const applicantId = z.string().regex(/^[0-9a-f]{24}$/);

/** 9999-12-31 23:59:59.999 UTC: the largest instant a Firestore Timestamp can hold. */
const MAX_MS = 253_402_300_799_999;

/**
 * `createdAtMs`: a fixed-width UTC string, `yyyy-MM-dd HH:mm:ss.fff`, not a number; read as unix
 * milliseconds.
 */
export const sumsubTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/)
  .transform((at) => Date.parse(`${at.replace(" ", "T")}Z`))
  .pipe(z.number().int().min(0).max(MAX_MS));

const word = z.string().regex(/^[A-Za-z_]{1,40}$/);

/** What a review says: the answer and its codes. z.object strips the comments: free text. */
export const reviewResultSchema = z.object({
  reviewAnswer: z.enum(["GREEN", "RED"]).nullish(),
  reviewRejectType: z.enum(["FINAL", "RETRY"]).nullish(),
  rejectLabels: z
    .array(z.string().regex(/^[A-Z0-9_]{1,64}$/))
    .max(50)
    .nullish(),
});
export type ReviewResult = z.infer<typeof reviewResultSchema>;

/**
 * An applicant webhook. Every field but the id, the type and the time is optional (the docs'
 * "always present" column reads inverted). `externalUserId` is whoever created the applicant's
 * choice: read, never trusted for a link.
 */
export const webhookSchema = z.object({
  applicantId,
  type: z.string().regex(/^[A-Za-z]{1,64}$/),
  createdAtMs: sumsubTime,
  correlationId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/)
    .nullish(),
  reviewStatus: word.nullish(),
  reviewResult: reviewResultSchema.nullish(),
  levelName: z.string().max(128).nullish(),
  sandboxMode: z.boolean().nullish(),
});
export type SumsubWebhook = z.infer<typeof webhookSchema>;

export type ParsedSumsubWebhook =
  { ok: true; webhook: SumsubWebhook } | { ok: false; issues: string[] };

/** Reads a verified body. Issues name paths and codes only, never values. */
export function parseSumsubWebhook(json: unknown): ParsedSumsubWebhook {
  const parsed = webhookSchema.safeParse(json);
  return parsed.success
    ? { ok: true, webhook: parsed.data }
    : { ok: false, issues: schemaIssues(parsed.error) };
}

/**
 * The audit id of a delivery: Sumsub's `correlationId` (the event's id) where it sends one, else
 * the SHA-256 of the raw body, so that a repeated delivery is a duplicate either way.
 */
export const sumsubEventId = (webhook: SumsubWebhook, body: Buffer) =>
  webhook.correlationId ?? hash("sha256", body, "hex");
