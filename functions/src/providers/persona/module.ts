import { z } from "zod";
import { verificationStatuses } from "../../verification/observation";
import type { Answer, ParamValues, ProviderModule, Recording, Starter } from "../contract";
import { secretValue } from "../params";
import { createPersonaApi, type PersonaApi } from "./api-client";
import { openPersonaDelivery } from "./delivery";
import type { Inquiry, PersonaDelivery } from "./event";
import {
  completedMeansOf,
  EVENT_OF_STATUS,
  neutralStatus,
  observeInquiry,
  personaState,
  projectInquiry,
  REDACTED_EVENT,
  STATUS_EVENTS,
  type CompletedMeans,
} from "./observe";
import type { PersonaParams } from "./params";

/** A Persona event about an inquiry. */
export type InquiryEvent = Extract<PersonaDelivery, { kind: "inquiry" }>;

/**
 * What an inquiry event asks the store to record. A status this version does not know is kept in
 * the audit trail and moves nothing; a redaction only marks. An event it does not act on (a
 * transition, a name Persona added since) records nothing (undefined): what a verification
 * stores stays bounded, whatever a sender repeats.
 */
export function inquiryRecording(
  event: InquiryEvent,
  completedMeans: CompletedMeans,
): Recording | undefined {
  const { inquiry, name, createdAt, eventId } = event;
  if (!STATUS_EVENTS.has(name) && name !== REDACTED_EVENT) return undefined;
  const { status } = inquiry.attributes;
  const observation = STATUS_EVENTS.has(name)
    ? observeInquiry(inquiry, createdAt, eventId, completedMeans)
    : undefined;
  return {
    id: inquiry.id,
    auditId: eventId,
    audit: { event: name, providerStatus: status, created: new Date(createdAt) },
    state: observation && {
      observation,
      fields: {
        status: observation.status,
        providerStatus: status,
        observedAt: new Date(createdAt),
        eventId,
        // An expired inquiry can be resumed: the user may finish the same one.
        canRetry: status === "expired",
      },
    },
    marks:
      name === REDACTED_EVENT || inquiry.attributes["redacted-at"] ? { redacted: true } : undefined,
  };
}

// A Persona inquiry's state as stored: Persona's word (an open set) and Persona's time, in ms.
const storedState = z.object({
  status: z.enum(verificationStatuses),
  providerStatus: z.string(),
  observedAt: z.date(),
  eventId: z.string(),
});

/** The API's answer about an inquiry, as the check queue reads it. */
function inquiryAnswer(inquiry: Inquiry, completedMeans: CompletedMeans, api: PersonaApi): Answer {
  const { status } = inquiry.attributes;
  return {
    status: neutralStatus(status, completedMeans),
    providerStatus: status,
    // The audit trail names an API answer after the event that puts the inquiry there.
    observe: (atMs) =>
      inquiryRecording(
        {
          kind: "inquiry",
          eventId: `api_${atMs}_${status}`,
          name: EVENT_OF_STATUS[status] ?? `inquiry.${status}`,
          createdAt: atMs,
          inquiry,
        },
        completedMeans,
      ),
    details: projectInquiry(inquiry),
    facts: () => api.getVerifiedValues(inquiry.id),
  };
}

/**
 * Persona: an inquiry from the template; the user's inquiry is open until it is done (completed,
 * failed, or decided). An expired one can be resumed too.
 */
export function personaStarter(api: PersonaApi, templateId: string, redirectUri?: string): Starter {
  return {
    unfinished: ({ providerStatus: status }) =>
      status === undefined || status === "created" || status === "pending" || status === "expired",
    async resume({ id }) {
      const answer = await api.resumeInquiry(id);
      if (!answer.ok) return answer;
      const { inquiry, sessionToken } = answer;
      return { ok: true, started: { id: inquiry.id, ...(sessionToken ? { sessionToken } : {}) } };
    },
    async create(uid, idempotencyKey) {
      const answer = await api.createInquiry(uid, templateId, idempotencyKey, redirectUri);
      return answer.ok ? { ok: true, started: { id: answer.inquiry.id } } : answer;
    },
  };
}

/**
 * What a redaction leaves at Persona: the account each inquiry started here created, whose
 * reference id is the user's uid. Persona's account API was not researched: it is left to the
 * operator.
 */
export const PERSONA_ERASED = {
  outcome: "redacted",
  stillHeld:
    "the Persona account the inquiry was created with (its reference id is the user's uid): " +
    "redact it in Persona's Dashboard",
};

/** Persona's code, reading its params on each call. */
export function createPersonaModule(params: ParamValues<PersonaParams>): ProviderModule {
  /** PERSONA_COMPLETED_MEANS, read strictly: anything but pending or approved fails closed. */
  const completedMeans = () => {
    const meaning = completedMeansOf(params.completedMeans.value());
    if (meaning === undefined) {
      throw new Error("PERSONA_COMPLETED_MEANS must be pending or approved");
    }
    return meaning;
  };
  const api = () => {
    const key = secretValue(params.apiKey);
    return key ? createPersonaApi({ baseUrl: params.apiBaseUrl.value(), apiKey: key }) : undefined;
  };

  return {
    webhook: {
      state() {
        if (!secretValue(params.webhookSecret)) {
          return {
            kind: "off",
            hint: "PERSONA_WEBHOOK_SECRET is not set. Set it to the webhook's secret (wbhsec_...) to receive Persona's inquiry events.",
          };
        }
        if (completedMeansOf(params.completedMeans.value()) === undefined) {
          return {
            kind: "misconfigured",
            problem: "PERSONA_COMPLETED_MEANS must be pending or approved",
          };
        }
        const tolerance = params.toleranceSeconds.value();
        if (!Number.isInteger(tolerance) || tolerance < 1) {
          return {
            kind: "misconfigured",
            problem:
              "PERSONA_SIGNATURE_TOLERANCE_SECONDS must be a whole number of seconds, at least 1",
          };
        }
        return { kind: "on" };
      },
      open(body, header) {
        const opened = openPersonaDelivery(
          body,
          header("persona-signature"),
          secretValue(params.webhookSecret),
          params.toleranceSeconds.value(),
        );
        if (!opened.ok) return Promise.resolve(opened);
        const { delivery } = opened;
        if (delivery.kind === "unrelated") {
          // Another object of the account: acknowledged, so that Persona does not retry it.
          const { eventId: key, name: event, createdAt: at } = delivery;
          return Promise.resolve({ ok: true, key, event, at });
        }
        const { inquiry, name, createdAt } = delivery;
        const recording = inquiryRecording(delivery, completedMeans());
        return Promise.resolve({
          ok: true,
          key: inquiry.id,
          event: name,
          // Every time it states: the inquiry's own times too.
          at: Math.max(
            createdAt,
            inquiry.attributes["decisioned-at"] ?? 0,
            inquiry.attributes["redacted-at"] ?? 0,
          ),
          ...(recording ? { recording } : {}),
        });
      },
    },

    readState(fields) {
      const parsed = storedState.safeParse(fields);
      if (!parsed.success) return undefined;
      const { status, providerStatus, observedAt, eventId } = parsed.data;
      return personaState(status, providerStatus, observedAt.getTime(), eventId);
    },

    api() {
      const client = api();
      if (!client) return Promise.resolve({ off: "PERSONA_API_KEY is not set" });
      const meaning = completedMeans();
      return Promise.resolve({
        async lookup(key) {
          const lookup = await client.getInquiry(key);
          return lookup.ok
            ? { ok: true, answer: inquiryAnswer(lookup.inquiry, meaning, client) }
            : lookup;
        },
      });
    },

    eraser() {
      const client = api();
      if (!client) return Promise.resolve({ off: "PERSONA_API_KEY is not set" });
      return Promise.resolve({
        async erase(key) {
          const redacted = await client.redactInquiry(key);
          return redacted.ok ? { ok: true, erased: PERSONA_ERASED } : redacted;
        },
      });
    },

    starter({ returnUrl }) {
      const templateId = params.templateId.value();
      const client = templateId ? api() : undefined;
      if (!client) {
        return Promise.resolve({ off: "PERSONA_API_KEY or PERSONA_TEMPLATE_ID is not set" });
      }
      return Promise.resolve(personaStarter(client, templateId, returnUrl));
    },
  };
}
