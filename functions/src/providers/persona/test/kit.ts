import { randomBytes } from "node:crypto";
import { PERSON } from "../../../../scripts/dev/person.cjs";
import type { ProviderKit, Sent } from "../../../../test/support/kits";
import { createPersonaModule } from "../module";
import { EVENT_OF_STATUS, REDACTED_EVENT, STATUS_EVENTS } from "../observe";
import { signatureHeader } from "../signature";
import histories from "../persona-histories.json";

/** A new inquiry id. */
export const newInquiryId = () => `inq_${randomBytes(12).toString("hex")}`;
const newEventId = () => `evt_${randomBytes(12).toString("hex")}`;

/** A Persona event about an inquiry, as Persona sends it (personal data included). */
export function inquiryEvent(
  inquiryId: string,
  name: string,
  status: string,
  createdAtMs: number,
  eventId = newEventId(),
) {
  const at = new Date(createdAtMs).toISOString();
  return {
    data: {
      type: "event",
      id: eventId,
      attributes: {
        name: `inquiry.${name}`,
        "created-at": at,
        payload: {
          data: {
            type: "inquiry",
            id: inquiryId,
            attributes: {
              status,
              "reference-id": "someone",
              "name-first": "Jane",
              "name-last": "Doe",
              birthdate: "1990-01-01",
              "email-address": "jane@example.com",
              "created-at": at,
              "decisioned-at": status === "approved" || status === "declined" ? at : null,
              "redacted-at": null,
              fields: { "name-first": { type: "string", value: "Jane" } },
            },
            relationships: {
              "inquiry-template": { data: { type: "inquiry-template", id: "itmpl_test" } },
            },
          },
          // Persona's decision webhooks embed the inquiry's verifications, personal data and all.
          included: [
            {
              type: "verification/government-id",
              id: "ver_1",
              attributes: {
                status: "passed",
                "name-first": PERSON.givenName,
                "name-last": PERSON.familyName,
                birthdate: "1990-02-14",
                "identification-number": PERSON.documentNumber,
                "expiration-date": PERSON.documentExpiresOn,
                "country-code": "DE",
                "id-class": "pp",
              },
            },
          ],
        },
      },
    },
  };
}
export type InquiryEvent = ReturnType<typeof inquiryEvent>;

export type PersonaHistoryName = Exclude<keyof typeof histories, "//">;
export const personaHistoryNames = Object.keys(histories).filter(
  (name) => name !== "//",
) as PersonaHistoryName[];

/**
 * One of Persona's histories (persona-histories.json, beside the provider's code) for one inquiry, as events
 * sent in that order; a redelivery repeats the event before it, id and all.
 */
export function personaHistory(
  inquiryId: string,
  name: PersonaHistoryName,
  t0 = Date.now() - 100_000_000,
): InquiryEvent[] {
  const events: InquiryEvent[] = [];
  for (const [event, status, seconds, redelivery] of histories[name] as [
    string,
    string,
    number,
    string?,
  ][]) {
    const previous = events[events.length - 1];
    events.push(
      redelivery && previous
        ? previous
        : inquiryEvent(inquiryId, event, status, t0 + seconds * 1000 + 123),
    );
  }
  return events;
}

/** The inquiry's status once the history is over: what Persona's API then answers. */
export function finalStatus(name: PersonaHistoryName): string {
  const steps = histories[name] as [string, string, number][];
  return [...steps].sort((a, b) => a[2] - b[2]).at(-1)?.[1] ?? "";
}

/** POSTs an event to `/webhooks/persona`, signed as Persona signs it (one set per secret). */
export async function postPersonaWebhook(
  base: string,
  event: object,
  secrets: string[],
  t = Math.floor(Date.now() / 1000),
) {
  const payload = JSON.stringify(event);
  const res = await fetch(`${base}/webhooks/persona`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Persona-Signature": signatureHeader(payload, secrets, t),
    },
    body: payload,
  });
  return { status: res.status, text: await res.text() };
}

/** An inquiry as Persona's API returns it with sparse fields: no personal data. */
export const apiInquiry = (id: string, status: string) => ({
  data: {
    type: "inquiry",
    id,
    attributes: { status, "decisioned-at": "2026-01-02T03:04:05.000Z", "redacted-at": null },
    relationships: {
      "inquiry-template": { data: { type: "inquiry-template", id: "itmpl_local" } },
    },
  },
});

/** The ids of the events the store keeps: those the backend acts on (no `inquiry.transitioned`). */
export const storedEventIds = (events: InquiryEvent[]) =>
  [
    ...new Set(
      events
        .filter(({ data }) => {
          const { name } = data.attributes;
          return STATUS_EVENTS.has(name) || name === REDACTED_EVENT;
        })
        .map(({ data }) => data.id),
    ),
  ].sort();

const personaSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/persona",
  body: payload,
  headers: {
    "Content-Type": "application/json",
    "Persona-Signature": signatureHeader(payload, [secret], Math.floor(Date.now() / 1000)),
  },
});

const NONE = { value: () => "" };

export const kit: ProviderKit = {
  secret: "wbhsec_kit_secret",
  secretName: "PERSONA_WEBHOOK_SECRET",
  deployed: {
    params: [
      "PERSONA_TEMPLATE_ID",
      "PERSONA_COMPLETED_MEANS",
      "PERSONA_SIGNATURE_TOLERANCE_SECONDS",
      "PERSONA_API_BASE_URL",
    ],
    api: ["PERSONA_API_KEY"],
  },
  defaults: { toleranceSeconds: 600, completedMeans: "pending" },
  module: (settings) =>
    createPersonaModule({
      webhookSecret: { value: () => settings().webhookSecret },
      apiKey: NONE,
      templateId: NONE,
      completedMeans: { value: () => String(settings().completedMeans) },
      toleranceSeconds: { value: () => Number(settings().toleranceSeconds) },
      apiBaseUrl: NONE,
    }),
  newId: newInquiryId,
  deliver: (id, secret) =>
    personaSent(JSON.stringify(inquiryEvent(id, "started", "pending", Date.now())), secret),
  stage: (id, secret, stage, at) => {
    const name = (EVENT_OF_STATUS[stage] ?? "").replace(/^inquiry\./, "");
    return personaSent(JSON.stringify(inquiryEvent(id, name, stage, at * 1000)), secret);
  },
  decide: (id, secret, decision, at) =>
    personaSent(JSON.stringify(inquiryEvent(id, decision, decision, at * 1000)), secret),
  life: (id, secret) => {
    const events = personaHistory(id, "completed-then-approved");
    return {
      sent: events.map((event) => personaSent(JSON.stringify(event), secret)),
      kept: storedEventIds(events).length,
      holds: { providerStatus: "approved" },
    };
  },
  apiAnswer: (id, decision) => apiInquiry(id, decision),
  erased: { outcome: "redacted", stillHeld: /Persona account/ },
  ignored: (id, secret) => {
    const event = inquiryEvent(id, "approved", "approved", Date.now());
    const other = {
      data: { ...event.data, attributes: { ...event.data.attributes, name: "account.created" } },
    };
    return personaSent(JSON.stringify(other), secret);
  },
  personalData: /Jane|Doe|\b1990\b|jane@|someone|Zebedee|Quillfeather/,
  facts: {
    ageOver: { "18": true, "21": true },
    documentExpiresOn: PERSON.documentExpiresOn,
    issuingCountry: "DE",
    documentType: "passport",
  },
  naming: (id, secret, uid, at) => {
    const event = inquiryEvent(id, "approved", "approved", at * 1000);
    event.data.attributes.payload.data.attributes["reference-id"] = uid;
    return personaSent(JSON.stringify(event), secret);
  },
};
