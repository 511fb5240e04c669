import { z } from "zod";
import { apiFailed, requestJson, type ApiFailed } from "../api-request";
import { decisionSchema, type Decision } from "./event";
import { veriffSignature } from "./signature";
import { isBrowserUrl } from "../browser-url";
import type { RawFacts } from "../../verification/facts";
import { veriffFacts } from "./facts";

export interface VeriffApiOptions {
  baseUrl: string;
  apiKey: string;
  /** The newest shared secret: it signs each request. */
  sharedSecret: string;
  timeoutMs?: number;
}

/** A session the user can open: its id, the URL of Veriff's flow, and the legacy session token. */
export interface VeriffSession {
  id: string;
  url: string;
  sessionToken: string | null;
}

const created = z.object({
  verification: z.object({
    id: z.guid().transform((id) => id.toLowerCase()),
    // A page the browser will open: https only (http to this machine, locally).
    url: z.string().refine(isBrowserUrl),
    sessionToken: z.string().max(4096).nullish(),
  }),
});

// `verification: null`: no decision yet. z.object strips the person, the document and the rest.
const decided = z.object({ verification: decisionSchema.nullable() });

/**
 * Veriff's API: `POST /v1/sessions`, `GET /v1/sessions/{id}/decision` and
 * `DELETE /v1/sessions/{id}`, with `X-AUTH-CLIENT`
 * (the API key) and `X-HMAC-SIGNATURE` (hex HMAC-SHA256 with the shared secret of the body, or of
 * the session id for a GET). One request per call: retrying is the task queue's job.
 */
export function createVeriffApi(options: VeriffApiOptions) {
  const { apiKey, sharedSecret, timeoutMs = 10_000 } = options;
  const base = options.baseUrl.replace(/\/+$/, "");
  const request = (path: string, init: RequestInit, what: string) =>
    requestJson(`${base}${path}`, init, { timeoutMs, what, keyParam: "VERIFF_API_KEY" });

  return {
    /** The session's decision: null while there is none. */
    /** The decision, and the verified values its facts come from (in memory only). */
    async getDecision(
      id: string,
    ): Promise<{ ok: true; decision: Decision | null; verified: RawFacts } | ApiFailed> {
      const res = await request(
        `/v1/sessions/${encodeURIComponent(id)}/decision`,
        {
          headers: {
            "X-AUTH-CLIENT": apiKey,
            "X-HMAC-SIGNATURE": veriffSignature(id, sharedSecret),
            Accept: "application/json",
          },
        },
        "session",
      );
      if (!res.ok) return res;
      const body = decided.safeParse(res.json);
      if (!body.success) return apiFailed("malformed", res.status, "the body is not a decision");
      return { ok: true, decision: body.data.verification, verified: veriffFacts(res.json) };
    },

    /**
     * Deletes a session and its data (`DELETE /v1/sessions/{id}`, signed over the id). Veriff
     * turns this endpoint on per integration, and allows 5 deletions an hour. A refusal keeps
     * Veriff's code (1305: not in a completed status; 1306: in progress).
     */
    async deleteSession(id: string): Promise<{ ok: true } | ApiFailed> {
      const res = await requestJson(
        `${base}/v1/sessions/${encodeURIComponent(id)}`,
        {
          method: "DELETE",
          headers: {
            "X-AUTH-CLIENT": apiKey,
            "X-HMAC-SIGNATURE": veriffSignature(id, sharedSecret),
            Accept: "application/json",
          },
        },
        {
          timeoutMs,
          what: "session",
          keyParam: "VERIFF_API_KEY (and ask Veriff to enable session deletion)",
          codeOf: (json) => (json as { code?: unknown } | undefined)?.code,
        },
      );
      return res.ok || res.failure === "malformed" ? { ok: true } : res;
    },

    /**
     * Creates a session for `uid`, named in `vendorData` (a Firebase uid is no UUID, which
     * `endUserId` must be), with no personal data. Veriff has no idempotency key: the caller
     * makes sure one user starts one session at a time.
     */
    async createSession(
      uid: string,
      callback: string,
    ): Promise<{ ok: true; session: VeriffSession } | ApiFailed> {
      const body = JSON.stringify({
        verification: { vendorData: uid, ...(callback ? { callback } : {}) },
      });
      const res = await request(
        "/v1/sessions",
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-AUTH-CLIENT": apiKey,
            "X-HMAC-SIGNATURE": veriffSignature(body, sharedSecret),
          },
          body,
        },
        "session",
      );
      if (!res.ok) return res;
      const session = created.safeParse(res.json);
      if (!session.success) return apiFailed("malformed", res.status, "the body is not a session");
      const { id, url, sessionToken } = session.data.verification;
      return { ok: true, session: { id, url, sessionToken: sessionToken ?? null } };
    },
  };
}

export type VeriffApi = ReturnType<typeof createVeriffApi>;
