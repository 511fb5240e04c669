import { identitySchema, type Identity } from "./identity";

/** Why a lookup failed. Only `unavailable` (429, 5xx, network, timeout) is worth another try. */
export type ApiFailure = "not-found" | "unauthorized" | "rejected" | "unavailable" | "malformed";

export type IdentityLookup =
  | { ok: true; identity: Identity }
  | { ok: false; failure: ApiFailure; status: number | null; message: string };

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
      const fail = (failure: ApiFailure, status: number | null, message: string) =>
        ({ ok: false, failure, status, message }) as const;
      let res: Response;
      try {
        res = await fetch(`${baseUrl.replace(/\/+$/, "")}/identities/${encodeURIComponent(key)}`, {
          headers: { "X-API-KEY": apiKey, Accept: "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        // By name: the DOMException may come from another realm than this module's Error.
        const timedOut = (error as { name?: unknown } | null)?.name === "TimeoutError";
        return fail(
          "unavailable",
          null,
          timedOut ? `timed out after ${timeoutMs} ms` : "network error",
        );
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        return fail("unavailable", res.status, `HTTP ${res.status}`);
      }
      if (res.status === 404) return fail("not-found", 404, "HTTP 404: no such identity");
      if (res.status === 401 || res.status === 403) {
        return fail(
          "unauthorized",
          res.status,
          `HTTP ${res.status}: check PASSBASE_SECRET_API_KEY`,
        );
      }
      if (!res.ok) return fail("rejected", res.status, `HTTP ${res.status}`);
      let json: unknown;
      try {
        json = await res.json();
      } catch {
        return fail("malformed", res.status, "the body is not JSON");
      }
      const parsed = identitySchema.safeParse(json);
      if (!parsed.success) return fail("malformed", res.status, "the body is not an identity");
      return { ok: true, identity: parsed.data };
    },
  };
}

export type PassbaseApi = ReturnType<typeof createPassbaseApi>;
