/** Why an API call failed. Only `unavailable` (429, 5xx, network, timeout) is worth another try. */
export type ApiFailure = "not-found" | "unauthorized" | "rejected" | "unavailable" | "malformed";

export type ApiFailed = {
  ok: false;
  failure: ApiFailure;
  status: number | null;
  message: string;
  /** The provider's own code for a refusal ("1306"), when it gives one: never its text. */
  code?: string;
};

export const apiFailed = (
  failure: ApiFailure,
  status: number | null,
  message: string,
  code?: string,
) =>
  ({ ok: false, failure, status, message, ...(code ? { code } : {}) }) as const satisfies ApiFailed;

/** A provider's error code as it may be kept: a short token, or nothing. */
export function errorCode(value: unknown): string | undefined {
  const text = typeof value === "number" ? String(value) : value;
  return typeof text === "string" && /^[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : undefined;
}

/**
 * One request to a provider's JSON API, its failures sorted by what the task queue should do.
 * `what` names the object in a 404's message, `keyParam` the param to check on a 401 or 403.
 */
export async function requestJson(
  url: string,
  init: RequestInit,
  options: {
    timeoutMs: number;
    what: string;
    keyParam: string;
    /** Reads the provider's code from a refusal's JSON body (a 4xx other than 401, 403, 404). */
    codeOf?: (json: unknown) => unknown;
  },
): Promise<{ ok: true; status: number; json: unknown } | ApiFailed> {
  const { timeoutMs, what, keyParam, codeOf } = options;
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // By name: the DOMException may come from another realm than this module's Error.
    const timedOut = (error as { name?: unknown } | null)?.name === "TimeoutError";
    return apiFailed(
      "unavailable",
      null,
      timedOut ? `timed out after ${timeoutMs} ms` : "network error",
    );
  }
  if (res.status === 429 || res.status >= 500) {
    await res.body?.cancel();
    return apiFailed("unavailable", res.status, `HTTP ${res.status}`);
  }
  if (res.status === 404) return apiFailed("not-found", 404, `HTTP 404: no such ${what}`);
  if (res.status === 401 || res.status === 403) {
    return apiFailed("unauthorized", res.status, `HTTP ${res.status}: check ${keyParam}`);
  }
  if (!res.ok) {
    const code = codeOf ? errorCode(codeOf(await res.json().catch(() => undefined))) : undefined;
    if (!codeOf) await res.body?.cancel();
    return apiFailed("rejected", res.status, `HTTP ${res.status}`, code);
  }
  // No content (a deletion's answer, say): nothing to read.
  if (res.status === 204) return { ok: true, status: 204, json: null };
  try {
    return { ok: true, status: res.status, json: await res.json() };
  } catch {
    return apiFailed("malformed", res.status, "the body is not JSON");
  }
}
