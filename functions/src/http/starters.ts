import type { PersonaApi } from "../providers/persona/api-client";
import type { SessionLookup, StripeApi } from "../providers/stripe/api-client";
import type { Starter } from "./start-verification";

const stripeStarted = (lookup: SessionLookup) =>
  lookup.ok
    ? {
        ok: true as const,
        started: { id: lookup.session.id, clientSecret: lookup.clientSecret, url: lookup.url },
      }
    : lookup;

/** Stripe Identity: a document check; the user's session is open until verified or canceled. */
export function stripeStarter(api: StripeApi): Starter {
  return {
    unfinished: (status) =>
      status === undefined || status === "requires_input" || status === "processing",
    resume: async (id) => stripeStarted(await api.getSession(id)),
    create: async (uid, idempotencyKey) =>
      stripeStarted(await api.createSession(uid, idempotencyKey)),
  };
}

/**
 * Persona: an inquiry from the template; the user's inquiry is open until it is done (completed,
 * failed, or decided). An expired one can be resumed too.
 */
export function personaStarter(api: PersonaApi, templateId: string): Starter {
  return {
    unfinished: (status) =>
      status === undefined || status === "created" || status === "pending" || status === "expired",
    async resume(id) {
      const answer = await api.resumeInquiry(id);
      if (!answer.ok) return answer;
      const { inquiry, sessionToken } = answer;
      return { ok: true, started: { id: inquiry.id, ...(sessionToken ? { sessionToken } : {}) } };
    },
    async create(uid, idempotencyKey) {
      const answer = await api.createInquiry(uid, templateId, idempotencyKey);
      return answer.ok ? { ok: true, started: { id: answer.inquiry.id } } : answer;
    },
  };
}
