import { identitySchema, type Identity } from "./identity";

/** Why a lookup failed. Only `unavailable` (429, 5xx, network, timeout) was retried. */
export type ApiFailure = "not-found" | "unauthorized" | "rejected" | "unavailable" | "malformed";

export type IdentityLookup =
  | { ok: true; identity: Identity; attempts: number }
  | { ok: false; failure: ApiFailure; status: number | null; attempts: number; message: string };

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per request; Passbase's API is usually fast, and a hung socket must not eat the budget. */
  timeoutMs?: number;
  /** Total time for all attempts, within the function's own timeout. */
  budgetMs?: number;
  /** Backoff before the second attempt; doubled each time, with full jitter. */
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

class Unavailable extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/**
 * A client for Passbase's Verification API: `GET {base}/identities/{id}` with `X-API-KEY`.
 * Retries 429, 5xx and network errors with exponential backoff and full jitter while the budget
 * lasts; other 4xx answers and malformed bodies are final.
 */
export function createPassbaseApi(options: ApiClientOptions) {
  const {
    baseUrl,
    apiKey,
    timeoutMs = 10_000,
    budgetMs = 30_000,
    baseDelayMs = 500,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random = Math.random,
    now = Date.now,
  } = options;

  async function once(key: string): Promise<IdentityLookup | Unavailable> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl.replace(/\/+$/, "")}/identities/${encodeURIComponent(key)}`, {
        headers: { "X-API-KEY": apiKey, Accept: "application/json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      // By name: the DOMException may come from another realm than this module's Error.
      const timedOut = (error as { name?: unknown } | null)?.name === "TimeoutError";
      return new Unavailable(timedOut ? `timed out after ${timeoutMs} ms` : "network error", null);
    }
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel();
      return new Unavailable(`HTTP ${res.status}`, res.status);
    }
    const fail = (failure: ApiFailure, message: string): IdentityLookup => ({
      ok: false,
      failure,
      status: res.status,
      attempts: 0,
      message,
    });
    if (res.status === 404) return fail("not-found", "HTTP 404: no such identity");
    if (res.status === 401 || res.status === 403) {
      return fail("unauthorized", `HTTP ${res.status}: check PASSBASE_SECRET_API_KEY`);
    }
    if (!res.ok) return fail("rejected", `HTTP ${res.status}`);
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      return fail("malformed", "the body is not JSON");
    }
    const parsed = identitySchema.safeParse(json);
    if (!parsed.success) return fail("malformed", "the body is not an identity");
    return { ok: true, identity: parsed.data, attempts: 0 };
  }

  return {
    async getIdentity(key: string): Promise<IdentityLookup> {
      const deadline = now() + budgetMs;
      for (let attempt = 1; ; attempt++) {
        const result = await once(key);
        if (!(result instanceof Unavailable)) return { ...result, attempts: attempt };
        const delay = random() * baseDelayMs * 2 ** (attempt - 1);
        // Another attempt only if it can still finish (its timeout included) within the budget.
        if (now() + delay + timeoutMs > deadline) {
          return {
            ok: false,
            failure: "unavailable",
            status: result.status,
            attempts: attempt,
            message: result.message,
          };
        }
        await sleep(delay);
      }
    },
  };
}

export type PassbaseApi = ReturnType<typeof createPassbaseApi>;
