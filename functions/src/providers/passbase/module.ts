import { z } from "zod";
import type { Answer, ParamValues, ProviderModule, Recording } from "../contract";
import { secretValue } from "../params";
import { createPassbaseApi } from "./api-client";
import { deliveryMode, openDelivery } from "./delivery";
import { identityKey, statusEventTypes, type OtherEvent, type StatusEvent } from "./event";
import { eventId } from "./event-id";
import { metadataUid, projectIdentity, type Identity } from "./identity";
import { observe } from "./observe";
import type { PassbaseParams } from "./params";
import type { RawFacts } from "../../verification/facts";

const date = (unixSeconds: number) => new Date(unixSeconds * 1000);

/** The audit entry of an event: its type, status and times. */
function auditOf(event: StatusEvent | OtherEvent): Record<string, unknown> {
  const entry: Record<string, unknown> = { event: event.event };
  if (event.status !== undefined) entry.status = event.status;
  for (const field of ["created", "updated", "processed"] as const) {
    const at = event[field];
    if (at !== undefined) entry[field] = date(at);
  }
  return entry;
}

/**
 * What a Passbase status event asks the store to record. Its id is derived from its content
 * (Passbase sends none); its state is held in the fields of the event that set it.
 */
export function eventRecording(event: StatusEvent): Recording {
  const id = eventId(event);
  return {
    id: event.key,
    auditId: id,
    audit: auditOf(event),
    state: {
      observation: observe(event, id),
      fields: {
        status: event.status,
        event: event.event,
        created: date(event.created),
        updated: date(event.updated),
        processed: date(event.processed),
        eventId: id,
        canRetry: false,
      },
    },
  };
}

/** The latest time an event states (unix ms); 0 when it states none. */
const latest = ({ created, updated, processed }: StatusEvent | OtherEvent) =>
  Math.max(created ?? 0, updated ?? 0, processed ?? 0) * 1000;

const seconds = z.date().transform((at) => Math.floor(at.getTime() / 1000));

// A Passbase verification's state as stored: the fields of the status event that set it. A
// document without them (e.g. linked before any webhook) has no state yet.
const storedState = z.object({
  status: z.enum(["pending", "approved", "declined"]),
  event: z.enum(statusEventTypes),
  created: seconds,
  updated: seconds,
  processed: seconds,
  eventId: z.string(),
});

/**
 * The API's answer about an identity. A decision (approved or declined) is a review at the API's
 * time; anything else says nothing the webhooks would not.
 */
function identityAnswer(
  identity: Identity,
  key: string,
  options: { includeOwner: boolean; uidField: string },
  verified: RawFacts,
): Answer {
  const decision =
    identity.status === "approved" || identity.status === "declined" ? identity.status : undefined;
  return {
    status: decision,
    providerStatus: identity.status,
    observe(atMs) {
      if (!decision) return undefined;
      const updated = identity.updated ?? Math.floor(atMs / 1000);
      return eventRecording({
        event: "VERIFICATION_REVIEWED",
        key,
        status: decision,
        created: identity.created ?? updated,
        updated,
        processed: updated,
      });
    },
    details: { ...projectIdentity(identity, options.includeOwner) },
    metadataUid: metadataUid(identity, options.uidField),
    // The same answer holds the datapoints: no other call.
    facts: () => Promise.resolve({ ok: true, raw: verified }),
  };
}

/** What Passbase still holds when this backend has erased its own copy. */
export const PASSBASE_ERASED = {
  outcome: "none",
  stillHeld:
    "everything Passbase holds on the identity: Passbase documents no deletion API; delete the " +
    "identity in Passbase's dashboard or ask Passbase's support",
};

/** Passbase's code, reading its params on each call. */
export function createPassbaseModule(params: ParamValues<PassbaseParams>): ProviderModule {
  const mode = () =>
    deliveryMode(secretValue(params.webhookSecret), params.allowUnencrypted.value());

  return {
    webhook: {
      state() {
        const current = mode();
        // Unlike the signed routes, this one fails closed with 500 (and says why) while unset.
        return current.kind === "misconfigured"
          ? {
              kind: "misconfigured",
              problem: `PASSBASE_WEBHOOK_SECRET is misconfigured: ${current.problem}`,
            }
          : { kind: "on" };
      },
      open(body) {
        const current = mode();
        if (current.kind === "misconfigured") {
          return Promise.resolve({ ok: false, reason: "misconfigured" });
        }
        const opened = openDelivery(body, current);
        if (!opened.ok) return Promise.resolve(opened);
        const { accepted } = opened;
        const { event } = accepted;
        return Promise.resolve({
          ok: true,
          key: event.key,
          event: event.event,
          at: latest(event),
          // A type this version does not act on records nothing. Passbase's bodies carry no MAC,
          // so anyone holding one ciphertext can rename its event: each variant must cost nothing.
          ...(accepted.kind === "status" ? { recording: eventRecording(accepted.event) } : {}),
          ...(opened.keyIndex === undefined ? {} : { secretIndex: opened.keyIndex }),
        });
      },
    },

    // The identity access key from Passbase's client SDK (a UUID), as the webhooks store it.
    linkKey: (value) => identityKey.safeParse(value).data,

    readState(fields) {
      const parsed = storedState.safeParse(fields);
      return parsed.success ? observe(parsed.data, parsed.data.eventId) : undefined;
    },

    // No call: Passbase documents no way to delete an identity through its API.
    eraser: () =>
      Promise.resolve({ erase: () => Promise.resolve({ ok: true, erased: PASSBASE_ERASED }) }),

    api() {
      const key = secretValue(params.apiKey);
      if (!key) return Promise.resolve({ off: "PASSBASE_SECRET_API_KEY is not set" });
      const client = createPassbaseApi({ baseUrl: params.apiBaseUrl.value(), apiKey: key });
      const options = {
        includeOwner: params.storeOwner.value(),
        uidField: params.metadataUidField.value(),
      };
      return Promise.resolve({
        async lookup(id) {
          const lookup = await client.getIdentity(id);
          return lookup.ok
            ? { ok: true, answer: identityAnswer(lookup.identity, id, options, lookup.verified) }
            : lookup;
        },
      });
    },
  };
}
