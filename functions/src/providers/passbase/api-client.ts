import { apiFailed, requestJson, type ApiFailed } from "../api-request";
import type { RawFacts } from "../../verification/facts";
import { passbaseFacts } from "./facts";
import { identitySchema, type Identity } from "./identity";

export type { ApiFailure } from "../api-request";

/** An identity, and the verified values its facts come from (in memory only). */
export type IdentityLookup = { ok: true; identity: Identity; verified: RawFacts } | ApiFailed;

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per request; Passbase's API is usually fast, and a hung socket must not hold the task. */
  timeoutMs?: number;
}

/**
 * A client for Passbase's Verification API: `GET {base}/identities/{id}` with `X-API-KEY`.
 * One request per call: retrying is the task queue's job, with its backoff and rate limits.
 */
export function createPassbaseApi(options: ApiClientOptions) {
  const { baseUrl, apiKey, timeoutMs = 10_000 } = options;

  return {
    async getIdentity(key: string): Promise<IdentityLookup> {
      const res = await requestJson(
        `${baseUrl.replace(/\/+$/, "")}/identities/${encodeURIComponent(key)}`,
        { headers: { "X-API-KEY": apiKey, Accept: "application/json" } },
        { timeoutMs, what: "identity", keyParam: "PASSBASE_SECRET_API_KEY" },
      );
      if (!res.ok) return res;
      const parsed = identitySchema.safeParse(res.json);
      if (!parsed.success) return apiFailed("malformed", res.status, "the body is not an identity");
      return { ok: true, identity: parsed.data, verified: passbaseFacts(res.json) };
    },
  };
}

export type PassbaseApi = ReturnType<typeof createPassbaseApi>;
