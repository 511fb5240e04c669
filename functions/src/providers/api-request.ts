/** Why an API call failed. Only `unavailable` (429, 5xx, network, timeout) is worth another try. */
export type ApiFailure = "not-found" | "unauthorized" | "rejected" | "unavailable" | "malformed";

export type ApiFailed = { ok: false; failure: ApiFailure; status: number | null; message: string };

export const apiFailed = (failure: ApiFailure, status: number | null, message: string) =>
  ({ ok: false, failure, status, message }) as const satisfies ApiFailed;

/**
 * One request to a provider's JSON API, its failures sorted by what the task queue should do.
 * `what` names the object in a 404's message, `keyParam` the param to check on a 401 or 403.
 */
export async function requestJson(
  url: string,
  init: RequestInit,
  options: { timeoutMs: number; what: string; keyParam: string },
): Promise<{ ok: true; status: number; json: unknown } | ApiFailed> {
  const { timeoutMs, what, keyParam } = options;
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
  if (!res.ok) return apiFailed("rejected", res.status, `HTTP ${res.status}`);
  try {
    return { ok: true, status: res.status, json: await res.json() };
  } catch {
    return apiFailed("malformed", res.status, "the body is not JSON");
  }
}
