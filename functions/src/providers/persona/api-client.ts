import { z } from "zod";
import { apiFailed, requestJson, type ApiFailed } from "../api-request";
import type { FactsRead } from "../contract";
import { inquirySchema, type Inquiry } from "./event";
import { GOVERNMENT_ID_FIELDS, personaFacts } from "./facts";

/**
 * The API version every request is pinned to, whatever the key's default: the version whose
 * Inquiry schema this backend reads (Persona's OpenAPI description of 2023-01-05).
 */
export const PERSONA_VERSION = "2023-01-05";

/** Sparse fieldsets: only what is stored, so that no personal data is fetched. */
export const INQUIRY_FIELDS = "status,decisioned-at,redacted-at,inquiry-template,template";

export type InquiryLookup = { ok: true; inquiry: Inquiry } | ApiFailed;

/** An inquiry the user can open: resuming one in progress returns its session token. */
export type InquiryStart = { ok: true; inquiry: Inquiry; sessionToken: string | null } | ApiFailed;

const resource = z.object({ data: z.unknown(), meta: z.object({}).loose().optional() });

export interface PersonaApiOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

/**
 * Persona's API: `GET /inquiries/{id}`, `POST /inquiries`, `POST /inquiries/{id}/resume` and
 * `DELETE /inquiries/{id}`,
 * with `Authorization: Bearer <key>`, a pinned `Persona-Version` and kebab-case keys. One request
 * per call: retrying is the task queue's job.
 */
export function createPersonaApi(options: PersonaApiOptions) {
  const { apiKey, timeoutMs = 10_000 } = options;
  const base = options.baseUrl.replace(/\/+$/, "");
  const headers = {
    Authorization: `Bearer ${apiKey}`,
    "Persona-Version": PERSONA_VERSION,
    "Key-Inflection": "kebab",
    Accept: "application/json",
  };

  async function call(
    path: string,
    init: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<InquiryStart> {
    const res = await requestJson(
      `${base}${path}`,
      { ...init, headers: { ...headers, ...init.headers } },
      { timeoutMs, what: "inquiry", keyParam: "PERSONA_API_KEY" },
    );
    if (!res.ok) return res;
    const body = resource.safeParse(res.json);
    const inquiry = inquirySchema.safeParse(body.data?.data);
    if (!inquiry.success) return apiFailed("malformed", res.status, "the body is not an inquiry");
    // The session token goes to the caller only; it is never stored or logged.
    const token = body.data?.meta?.["session-token"];
    return {
      ok: true,
      inquiry: inquiry.data,
      sessionToken: typeof token === "string" ? token : null,
    };
  }

  const post = (path: string, body: unknown, idempotencyKey?: string) =>
    call(path, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(idempotencyKey ? { "Idempotency-Key": idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });

  return {
    async getInquiry(id: string): Promise<InquiryLookup> {
      const query = new URLSearchParams({ "fields[inquiry]": INQUIRY_FIELDS });
      return call(`/inquiries/${encodeURIComponent(id)}?${query.toString()}`);
    },

    /**
     * The inquiry's government-ID verifications, included on request (since 2025-10-27 Persona
     * no longer includes them by default), with only the attributes facts are read from.
     */
    async getVerifiedValues(id: string): Promise<FactsRead> {
      const query = new URLSearchParams({
        include: "verifications",
        "fields[inquiry]": "status",
        "fields[verification/government-id]": GOVERNMENT_ID_FIELDS,
      });
      const res = await requestJson(
        `${base}/inquiries/${encodeURIComponent(id)}?${query.toString()}`,
        { headers },
        { timeoutMs, what: "inquiry", keyParam: "PERSONA_API_KEY" },
      );
      return res.ok ? { ok: true, raw: personaFacts(res.json) } : res;
    },

    /**
     * Creates an inquiry from `templateId` for `uid`, named as the Persona account's reference id
     * (`meta.auto-create-account-reference-id`). The idempotency key makes a repeat return it again.
     */
    createInquiry(
      uid: string,
      templateId: string,
      idempotencyKey: string,
      redirectUri?: string,
    ): Promise<InquiryStart> {
      // Legacy templates (tmpl_...) are named by another attribute than inquiry templates.
      const template = templateId.startsWith("tmpl_") ? "template-id" : "inquiry-template-id";
      return post(
        "/inquiries",
        {
          data: {
            attributes: {
              [template]: templateId,
              ...(redirectUri ? { "redirect-uri": redirectUri } : {}),
            },
          },
          meta: { "auto-create-account-reference-id": uid },
        },
        idempotencyKey,
      );
    },

    /**
     * Redacts an inquiry (`DELETE /inquiries/{id}`): irreversible; Persona redacts its child
     * objects asynchronously. Any success counts, whatever its body.
     */
    async redactInquiry(id: string): Promise<{ ok: true } | ApiFailed> {
      const res = await requestJson(
        `${base}/inquiries/${encodeURIComponent(id)}`,
        { method: "DELETE", headers },
        { timeoutMs, what: "inquiry", keyParam: "PERSONA_API_KEY" },
      );
      return res.ok || res.failure === "malformed" ? { ok: true } : res;
    },

    /** Resumes an inquiry the user has not finished; the answer carries a session token. */
    resumeInquiry(id: string): Promise<InquiryStart> {
      return post(`/inquiries/${encodeURIComponent(id)}/resume`, {});
    },
  };
}

export type PersonaApi = ReturnType<typeof createPersonaApi>;
