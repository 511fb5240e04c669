import { z } from "zod";
import { verificationStatuses } from "../../verification/observation";
import type { Answer, ParamValues, ProviderModule, Recording, Starter } from "../contract";
import { apiFailed } from "../api-request";
import { secretValue } from "../params";
import {
  clientOptions,
  createStripeApi,
  type SessionLookup,
  type StripeApi,
  type StripeClient,
} from "./api-client";
import { openStripeDelivery, type StripeWebhooks } from "./delivery";
import { sessionStatuses, type Session, type StripeDelivery } from "./event";
import {
  canRetry,
  neutralStatus,
  observeSession,
  projectSession,
  REDACTED_EVENT,
  STATUS_EVENTS,
  stripeOrder,
} from "./observe";
import type { StripeParams } from "./params";

/** A Stripe event about a VerificationSession. */
export type SessionEvent = Extract<StripeDelivery, { kind: "session" }>;

/**
 * What a session event asks the store to record. Redaction deletes personal data at Stripe: no
 * outcome, only a mark. A type this version does not act on records nothing (undefined): what a
 * verification stores stays bounded, whatever a sender repeats.
 */
export function sessionRecording(event: SessionEvent): Recording | undefined {
  const { session, type, created, eventId } = event;
  if (!STATUS_EVENTS.has(type) && type !== REDACTED_EVENT) return undefined;
  const observation = observeSession(session, created, eventId);
  return {
    id: session.id,
    auditId: eventId,
    audit: {
      event: type,
      providerStatus: session.status,
      created: new Date(created * 1000),
      ...(session.last_error?.code ? { lastErrorCode: session.last_error.code } : {}),
    },
    state: STATUS_EVENTS.has(type)
      ? {
          observation,
          fields: {
            status: observation.status,
            providerStatus: session.status,
            observedAt: new Date(created * 1000),
            eventId,
            canRetry: canRetry(session),
            lastErrorCode: session.last_error?.code ?? null,
            livemode: session.livemode ?? null,
          },
        }
      : undefined,
    marks:
      type === REDACTED_EVENT || session.redaction?.status === "redacted"
        ? { redacted: true }
        : undefined,
  };
}

// A Stripe verification's state as stored: the neutral status, Stripe's word, and Stripe's time.
const storedState = z.object({
  status: z.enum(verificationStatuses),
  providerStatus: z.enum(sessionStatuses),
  observedAt: z.date(),
  eventId: z.string(),
});

/** The API's answer about a session: an observation at the second its request was sent. */
function sessionAnswer(session: Session, api: StripeApi): Answer {
  return {
    status: neutralStatus(session),
    providerStatus: session.status,
    observe(atMs) {
      // Stripe's clock has seconds: the answer is an observation at the second it was asked for.
      const at = Math.floor(atMs / 1000);
      return sessionRecording({
        kind: "session",
        eventId: `api_${at}_${session.status}`,
        type: `identity.verification_session.${session.status}`,
        created: at,
        session,
      });
    },
    details: projectSession(session),
    facts: () => api.getVerifiedValues(session.id),
  };
}

const started = (lookup: SessionLookup) =>
  lookup.ok
    ? {
        ok: true as const,
        started: { id: lookup.session.id, clientSecret: lookup.clientSecret, url: lookup.url },
      }
    : lookup;

/** Stripe Identity: a document check; the user's session is open until verified or canceled. */
export function stripeStarter(api: StripeApi, returnUrl?: string): Starter {
  return {
    unfinished: ({ providerStatus: status }) =>
      status === undefined || status === "requires_input" || status === "processing",
    resume: async ({ id }) => started(await api.getSession(id)),
    create: async (uid, idempotencyKey) =>
      started(await api.createSession(uid, idempotencyKey, returnUrl)),
  };
}

/**
 * Erases a session at Stripe: a redaction, which Stripe finishes within four days. Stripe redacts
 * only a session that is not processing: a refusal while it processes waits (`unavailable`), to
 * be tried again; a session redacted before counts as erased.
 */
export async function redactSession(api: StripeApi, id: string) {
  const erased = (lookup: Extract<SessionLookup, { ok: true }>) => ({
    ok: true as const,
    erased: { outcome: `redaction ${lookup.session.redaction?.status ?? "requested"}` },
  });
  const redacted = await api.redactSession(id);
  if (redacted.ok) return erased(redacted);
  if (redacted.failure !== "rejected") return redacted;
  const now = await api.getSession(id);
  if (now.ok && now.session.redaction) return erased(now);
  if (now.ok && now.session.status === "processing") {
    return apiFailed("unavailable", redacted.status, "the session is processing: redaction waits");
  }
  return redacted;
}

/** The slice of the official package this module uses: its webhook helper and its client. */
export interface StripePackage {
  webhooks: StripeWebhooks;
  new (key: string, options: ReturnType<typeof clientOptions>): StripeClient;
}

/** The official package, loaded on first use: it takes longer to load than all else here. */
const importStripe = (): Promise<StripePackage> =>
  import("stripe").then((imported) => imported.default);

/** Stripe's code, reading its params on each call; the official package loads on first use. */
export function createStripeModule(
  params: ParamValues<StripeParams>,
  load: typeof importStripe = importStripe,
): ProviderModule {
  let stripePackage: ReturnType<typeof importStripe> | undefined;
  const loadStripe = () => (stripePackage ??= load());

  /** Stripe's API for this invocation; undefined when no STRIPE_SECRET_KEY is set. */
  const api = async () => {
    const key = secretValue(params.secretKey);
    if (!key) return undefined;
    const Stripe = await loadStripe();
    return createStripeApi(new Stripe(key, clientOptions(params.apiBaseUrl.value())));
  };

  return {
    webhook: {
      state: () =>
        secretValue(params.webhookSecret)
          ? { kind: "on" }
          : {
              kind: "off",
              hint: "STRIPE_WEBHOOK_SECRET is not set. Set it to the endpoint's signing secret (whsec_...) to receive Stripe Identity events.",
            },
      async open(body, header) {
        const Stripe = await loadStripe();
        const opened = openStripeDelivery(
          body,
          header("stripe-signature"),
          secretValue(params.webhookSecret),
          Stripe.webhooks,
        );
        if (!opened.ok) return opened;
        const { delivery } = opened;
        const at = delivery.created * 1000;
        if (delivery.kind === "unrelated") {
          // Another object of the account: acknowledged, so that Stripe does not retry it.
          return { ok: true, key: delivery.eventId, event: delivery.type, at };
        }
        const recording = sessionRecording(delivery);
        return {
          ok: true,
          key: delivery.session.id,
          event: delivery.type,
          at,
          ...(recording ? { recording } : {}),
        };
      },
    },

    readState(fields) {
      const parsed = storedState.safeParse(fields);
      if (!parsed.success) return undefined;
      const { status, providerStatus, observedAt, eventId } = parsed.data;
      const at = Math.floor(observedAt.getTime() / 1000);
      return {
        provider: "stripe",
        status,
        providerStatus,
        at,
        order: stripeOrder(at, providerStatus, status),
        eventId,
      };
    },

    async api() {
      const client = await api();
      if (!client) return { off: "STRIPE_SECRET_KEY is not set" };
      return {
        async lookup(key) {
          const lookup = await client.getSession(key);
          return lookup.ok ? { ok: true, answer: sessionAnswer(lookup.session, client) } : lookup;
        },
      };
    },

    async eraser() {
      const client = await api();
      if (!client) return { off: "STRIPE_SECRET_KEY is not set" };
      return { erase: (key) => redactSession(client, key) };
    },

    async starter({ returnUrl }) {
      const client = await api();
      return client ? stripeStarter(client, returnUrl) : { off: "STRIPE_SECRET_KEY is not set" };
    },
  };
}
