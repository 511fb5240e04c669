import { z } from "zod";
import { apiFailed, requestJson, type ApiFailed } from "../api-request";
import { applicantId, reviewResultSchema } from "./event";
import { requestSignature } from "./signature";
import type { FactsRead } from "../contract";
import { sumsubFacts } from "./facts";

export interface SumsubApiOptions {
  baseUrl: string;
  appToken: string;
  secretKey: string;
  timeoutMs?: number;
  now?: () => number;
}

/** An applicant's review status, as `GET …/status` answers it: no personal data kept. */
export const statusSchema = z.object({
  reviewStatus: z.string().regex(/^[A-Za-z_]{1,40}$/),
  reviewResult: reviewResultSchema.nullish(),
  levelName: z.string().max(128).nullish(),
  attemptCnt: z.int().min(0).nullish(),
});
export type ApplicantStatus = z.infer<typeof statusSchema>;

// Only the id is read of an applicant: z.object strips its `info`, `email` and the rest.
const applicant = z.object({ id: applicantId });
const accessToken = z.object({ token: z.string().min(1).max(4096) });

/** How long an access token for the Web SDK lives. */
export const TOKEN_TTL_SECONDS = 600;

/**
 * Sumsub's API, every request signed: `X-App-Token`, `X-App-Access-Ts` (unix seconds) and
 * `X-App-Access-Sig` (hex HMAC-SHA256 of ts, method, path with query and body). One request per
 * call: retrying is the task queue's job.
 */
export function createSumsubApi(options: SumsubApiOptions) {
  const { appToken, secretKey, timeoutMs = 10_000, now = Date.now } = options;
  const base = options.baseUrl.replace(/\/+$/, "");

  const call = (method: "GET" | "POST" | "PATCH", path: string, what: string, body?: unknown) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    const ts = Math.floor(now() / 1000);
    return requestJson(
      `${base}${path}`,
      {
        method,
        headers: {
          Accept: "application/json",
          "X-App-Token": appToken,
          "X-App-Access-Ts": String(ts),
          "X-App-Access-Sig": requestSignature(secretKey, ts, method, path, text),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: text }),
      },
      { timeoutMs, what, keyParam: "SUMSUB_APP_TOKEN and SUMSUB_SECRET_KEY" },
    );
  };
  const read =
    <T>(schema: z.ZodType<T>, what: string) =>
    (res: Awaited<ReturnType<typeof call>>) => {
      if (!res.ok) return res;
      const parsed = schema.safeParse(res.json);
      return parsed.success
        ? { ok: true as const, value: parsed.data }
        : apiFailed("malformed", res.status, `the body is not ${what}`);
    };

  return {
    /** The applicant's review status; not `/one`, which returns the whole applicant. */
    async getStatus(id: string): Promise<{ ok: true; value: ApplicantStatus } | ApiFailed> {
      const path = `/resources/applicants/${encodeURIComponent(id)}/status`;
      return read(statusSchema, "a review status")(await call("GET", path, "applicant"));
    },

    /**
     * The applicant's verified values, from the whole applicant (`/one`): read for an approval's
     * facts only, and only `info` of it (`sumsubFacts`).
     */
    async getVerifiedValues(id: string): Promise<FactsRead> {
      const res = await call(
        "GET",
        `/resources/applicants/${encodeURIComponent(id)}/one`,
        "applicant",
      );
      return res.ok ? { ok: true, raw: sumsubFacts(res.json) } : res;
    },

    /**
     * Deactivates an applicant (`PATCH …/presence/deactivated`): as if it never existed, though
     * Sumsub keeps its record. Refused while its review is in progress.
     */
    async deactivate(id: string): Promise<{ ok: true } | ApiFailed> {
      const path = `/resources/applicants/${encodeURIComponent(id)}/presence/deactivated`;
      const res = await call("PATCH", path, "applicant");
      return res.ok || res.failure === "malformed" ? { ok: true } : res;
    },

    /**
     * Creates an applicant for `uid` (`externalUserId`) at `levelName`, with no personal data.
     * Sumsub refuses a second one for the same `externalUserId` (409): it is then looked up.
     */
    async createApplicant(
      externalUserId: string,
      levelName: string,
    ): Promise<{ ok: true; value: { id: string } } | ApiFailed> {
      const path = `/resources/applicants?levelName=${encodeURIComponent(levelName)}`;
      const res = await call("POST", path, "level", { externalUserId });
      if (!res.ok && res.status === 409) {
        // Found by our own id, never by parsing the error's text. Only `id` is kept of it.
        const found = `/resources/applicants/-;externalUserId=${encodeURIComponent(externalUserId)}/one`;
        return read(applicant, "an applicant")(await call("GET", found, "applicant"));
      }
      return read(applicant, "an applicant")(res);
    },

    /** A Web SDK access token for the applicant whose `externalUserId` this is. */
    async accessToken(
      externalUserId: string,
      levelName: string,
    ): Promise<{ ok: true; value: { token: string } } | ApiFailed> {
      const body = { userId: externalUserId, levelName, ttlInSecs: TOKEN_TTL_SECONDS };
      return read(
        accessToken,
        "an access token",
      )(await call("POST", "/resources/accessTokens/sdk", "applicant", body));
    },
  };
}

export type SumsubApi = ReturnType<typeof createSumsubApi>;
