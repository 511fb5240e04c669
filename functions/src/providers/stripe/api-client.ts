import { sessionSchema, type Session } from "./event";
import { isBrowserUrl } from "../browser-url";
import type { FactsRead } from "../contract";
import { FACTS_EXPAND, SENSITIVE_PERMISSION, stripeFacts } from "./facts";

/** The slice of the official client (`new Stripe(key, options)`) this backend uses. */
export interface StripeClient {
  identity: {
    verificationSessions: {
      retrieve(id: string, params?: { expand: string[] }): Promise<unknown>;
      redact(id: string): Promise<unknown>;
      create(
        params: {
          type: "document";
          client_reference_id: string;
          metadata: Record<string, string>;
          return_url?: string;
        },
        options: { idempotencyKey: string },
      ): Promise<unknown>;
    };
  };
}

/** Why a call failed; only `unavailable` is worth another try. */
export type StripeApiFailure =
  "not-found" | "unauthorized" | "rejected" | "unavailable" | "malformed";

export type SessionLookup =
  | { ok: true; session: Session; clientSecret: string | null; url: string | null }
  | { ok: false; failure: StripeApiFailure; status: number | null; message: string };

/** Options for the official client: the base URL (a stand-in locally) and one attempt per call. */
export function clientOptions(baseUrl: string) {
  const url = new URL(baseUrl);
  return {
    host: url.hostname,
    port: url.port || (url.protocol === "http:" ? 80 : 443),
    protocol: url.protocol === "http:" ? ("http" as const) : ("https" as const),
    // Retrying is the task queue's job (or the caller's, for a callable).
    maxNetworkRetries: 0,
    timeout: 10_000,
  };
}

function failureOf(error: unknown): Extract<SessionLookup, { ok: false }> {
  const { type, statusCode } = (error ?? {}) as { type?: unknown; statusCode?: unknown };
  const status = typeof statusCode === "number" ? statusCode : null;
  const fail = (failure: StripeApiFailure, message: string) =>
    ({ ok: false, failure, status, message }) as const;
  if (status === 404) return fail("not-found", "HTTP 404: no such verification session");
  if (status === 401 || status === 403 || type === "StripeAuthenticationError") {
    return fail("unauthorized", `HTTP ${status ?? 401}: check STRIPE_SECRET_KEY`);
  }
  if (status === 429 || (status !== null && status >= 500) || status === null) {
    return fail("unavailable", status === null ? "network error" : `HTTP ${status}`);
  }
  return fail("rejected", `HTTP ${status}`);
}

function lookupOf(object: unknown): SessionLookup {
  const parsed = sessionSchema.safeParse(object);
  if (!parsed.success) {
    return { ok: false, failure: "malformed", status: 200, message: "the body is not a session" };
  }
  // The client secret and URL go to the caller only; they are never stored or logged.
  const { client_secret: clientSecret, url } = object as { client_secret?: unknown; url?: unknown };
  return {
    ok: true,
    session: parsed.data,
    clientSecret: typeof clientSecret === "string" ? clientSecret : null,
    // A page the browser will open: only an https one (or http to this machine, locally).
    url: isBrowserUrl(url) ? url : null,
  };
}

/**
 * Stripe Identity's API through the official client: `GET /v1/identity/verification_sessions/{id}`
 * (no `expand`, so no personal data; expanded only for an approval's facts), the creation of a
 * session for a user, and its redaction.
 */
export function createStripeApi(client: StripeClient) {
  const sessions = client.identity.verificationSessions;
  return {
    async getSession(id: string): Promise<SessionLookup> {
      try {
        return lookupOf(await sessions.retrieve(id));
      } catch (error) {
        return failureOf(error);
      }
    },

    /**
     * The session's verified values, expanded (`FACTS_EXPAND`). Stripe refuses a key without the
     * sensitive results' permission with a 403 (and a plain restricted key after 48 hours): the
     * facts are then withheld, and the decision stands.
     */
    async getVerifiedValues(id: string): Promise<FactsRead> {
      try {
        return {
          ok: true,
          raw: stripeFacts(await sessions.retrieve(id, { expand: FACTS_EXPAND })),
        };
      } catch (error) {
        const failed = failureOf(error);
        return failed.status === 403 ? { ok: false, withheld: SENSITIVE_PERMISSION } : failed;
      }
    },

    /** Asks Stripe to redact a session: every personal field, its files and its metadata. */
    async redactSession(id: string): Promise<SessionLookup> {
      try {
        return lookupOf(await sessions.redact(id));
      } catch (error) {
        return failureOf(error);
      }
    },

    /**
     * Creates a document check for `uid`, who is named in `client_reference_id` and
     * `metadata.firebase_uid`, with the page's way back (`return_url`). The idempotency key makes
     * a repeated call return the same session.
     */
    async createSession(
      uid: string,
      idempotencyKey: string,
      returnUrl?: string,
    ): Promise<SessionLookup> {
      try {
        return lookupOf(
          await sessions.create(
            {
              type: "document",
              client_reference_id: uid,
              metadata: { firebase_uid: uid },
              ...(returnUrl ? { return_url: returnUrl } : {}),
            },
            { idempotencyKey },
          ),
        );
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}

export type StripeApi = ReturnType<typeof createStripeApi>;
