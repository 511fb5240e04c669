import type { PersonaApi } from "../providers/persona/api-client";
import type { Inquiry } from "../providers/persona/event";
import {
  EVENT_OF_STATUS,
  neutralStatus as personaStatus,
  projectInquiry,
  type CompletedMeans,
} from "../providers/persona/observe";
import type { StripeApi } from "../providers/stripe/api-client";
import type { Session } from "../providers/stripe/event";
import { neutralStatus as stripeStatus, projectSession } from "../providers/stripe/observe";
import type { EventSink } from "../store/verification-store";
import type { Confirmable } from "./confirm";

/** Stripe's API as the check queue confirms with it: `GET` a VerificationSession. */
export function stripeConfirmable(api: StripeApi, events: EventSink): Confirmable<Session> {
  return {
    provider: "stripe",
    async fetch(key) {
      const lookup = await api.getSession(key);
      return lookup.ok ? { ok: true, value: lookup.session } : lookup;
    },
    statusOf: (session) => ({ status: stripeStatus(session), providerStatus: session.status }),
    applyAt(session, atMs) {
      // Stripe's clock has seconds: the answer is an observation at the second it was given.
      const at = Math.floor(atMs / 1000);
      return events.applyStripeEvent(
        {
          kind: "session",
          eventId: `api_${at}_${session.status}`,
          type: `identity.verification_session.${session.status}`,
          created: at,
          session,
        },
        "reconciliation",
      );
    },
    project: projectSession,
  };
}

/** Persona's API as the check queue confirms with it: `GET` an inquiry, sparse fields only. */
export function personaConfirmable(
  api: PersonaApi,
  events: EventSink,
  completedMeans: CompletedMeans,
): Confirmable<Inquiry> {
  return {
    provider: "persona",
    async fetch(key) {
      const lookup = await api.getInquiry(key);
      return lookup.ok ? { ok: true, value: lookup.inquiry } : lookup;
    },
    statusOf: ({ attributes: { status } }) => ({
      status: personaStatus(status, completedMeans),
      providerStatus: status,
    }),
    applyAt(inquiry, atMs) {
      const { status } = inquiry.attributes;
      return events.applyPersonaEvent(
        {
          kind: "inquiry",
          eventId: `api_${atMs}_${status}`,
          // The audit trail names an API answer after the event that puts the inquiry there.
          name: EVENT_OF_STATUS[status] ?? `inquiry.${status}`,
          createdAt: atMs,
          inquiry,
        },
        completedMeans,
        "reconciliation",
      );
    },
    project: projectInquiry,
  };
}
