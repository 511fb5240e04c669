import { randomBytes } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import Stripe from "stripe";
import type { ProviderKit, Sent } from "../../../../test/support/kits";
import { createStripeModule } from "../module";

/** A new VerificationSession id. */
export const newSessionId = () => `vs_${randomBytes(12).toString("hex")}`;

/** A Stripe event about a session, as Stripe sends it (personal data included). */
export function sessionEvent(
  sessionId: string,
  type: string,
  status: string,
  created: number,
  lastError: string | null = null,
) {
  return {
    id: `evt_${randomBytes(12).toString("hex")}`,
    object: "event",
    type: `identity.verification_session.${type}`,
    created,
    livemode: false,
    data: {
      object: {
        id: sessionId,
        object: "identity.verification_session",
        status,
        type: "document",
        livemode: false,
        last_error: lastError
          ? { code: lastError, reason: "Jane Doe's selfie did not match" }
          : null,
        metadata: { firebase_uid: "someone" },
        verified_outputs: {
          first_name: "Jane",
          last_name: "Doe",
          dob: { day: 1, month: 1, year: 1990 },
        },
      },
    },
  };
}
export type SessionEvent = ReturnType<typeof sessionEvent>;

/** Fail, retry, verified (and Stripe's second Event for the same change), as Stripe sends them. */
export function stripeHistory(id: string, t = Math.floor(Date.now() / 1000) - 600) {
  const verified = sessionEvent(id, "verified", "verified", t + 300);
  return [
    sessionEvent(id, "created", "requires_input", t),
    sessionEvent(id, "processing", "processing", t + 60),
    sessionEvent(id, "requires_input", "requires_input", t + 90, "selfie_face_mismatch"),
    sessionEvent(id, "processing", "processing", t + 200),
    verified,
    { ...verified, id: `${verified.id}x` },
  ];
}

/** POSTs an event to `/webhooks/stripe`, signed as Stripe signs it. */
export async function postStripeWebhook(base: string, event: object, secret: string) {
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const res = await fetch(`${base}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": header },
    body: payload,
  });
  return { status: res.status, text: await res.text() };
}

/** A session as Stripe's API returns it, without `expand`. */
export const apiSession = (id: string, status: string, lastError: string | null = null) => ({
  id,
  object: "identity.verification_session",
  status,
  type: "document",
  livemode: false,
  last_error: lastError ? { code: lastError, reason: "…" } : null,
  redaction: null,
  client_secret: `${id}_secret_x`,
  url: "https://verify.stripe.com/start/test_x",
});

/** A delivery to Stripe's route, signed as Stripe signs. */
const stripeSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/stripe",
  body: payload,
  headers: {
    "Content-Type": "application/json",
    "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
  },
});

/** Stripe's stages as its events say them: the event type, the status, the error. */
const STRIPE_STAGES: Record<string, [string, string, string | null]> = {
  requires_input: ["created", "requires_input", null],
  processing: ["processing", "processing", null],
  verified: ["verified", "verified", null],
  canceled: ["canceled", "canceled", null],
  requires_input_error: ["requires_input", "requires_input", "selfie_face_mismatch"],
};

const NONE = { value: () => "" };

export const kit: ProviderKit = {
  secret: "whsec_kit_secret",
  secretName: "STRIPE_WEBHOOK_SECRET",
  deployed: {
    params: ["STRIPE_API_BASE_URL"],
    api: ["STRIPE_SECRET_KEY"],
  },
  module: (settings) =>
    createStripeModule(
      {
        webhookSecret: { value: () => settings().webhookSecret },
        secretKey: NONE,
        apiBaseUrl: NONE,
      },
      // Jest runs CommonJS without dynamic import(): the package, as `widgets` loads it.
      () => Promise.resolve(Stripe),
    ),
  newId: newSessionId,
  deliver: (id, secret) =>
    stripeSent(
      JSON.stringify(sessionEvent(id, "processing", "processing", Math.floor(Date.now() / 1000))),
      secret,
    ),
  stage: (id, secret, stage, at) => {
    const [type, status, error] = STRIPE_STAGES[stage] ?? ["", "", null];
    return stripeSent(JSON.stringify(sessionEvent(id, type, status, at, error)), secret);
  },
  decide: (id, secret, decision, at) =>
    stripeSent(
      JSON.stringify(
        decision === "approved"
          ? sessionEvent(id, "verified", "verified", at)
          : sessionEvent(id, "requires_input", "requires_input", at, "document_unverified_other"),
      ),
      secret,
    ),
  life: (id, secret) => {
    const events = stripeHistory(id);
    return {
      sent: events.map((event) => stripeSent(JSON.stringify(event), secret)),
      kept: events.length,
      holds: {
        providerStatus: "verified",
        observedAt: Timestamp.fromMillis((events[4]?.created ?? 0) * 1000),
        lastErrorCode: null,
      },
    };
  },
  // The birth year as a number of its own: timestamps' digits may hold "1990" by chance.
  apiAnswer: (id, decision) =>
    apiSession(id, decision === "approved" ? "verified" : "requires_input"),
  erased: { outcome: "redaction processing" },
  ignored: (id, secret) =>
    stripeSent(
      JSON.stringify({
        ...sessionEvent(id, "verified", "verified", Math.floor(Date.now() / 1000)),
        type: "payment_intent.succeeded",
        data: { object: { id: "pi_1" } },
      }),
      secret,
    ),
  personalData: /Jane|Doe|\b1990\b|someone|selfie did not match|Zebedee|Quillfeather/,
  facts: {
    ageOver: { "18": true, "21": true },
    documentExpiresOn: "2031-06-30",
    issuingCountry: "DE",
    documentType: "passport",
  },
  naming: (id, secret, uid, at) => {
    const event = sessionEvent(id, "verified", "verified", at);
    event.data.object.metadata.firebase_uid = uid;
    const named = {
      ...event,
      data: { object: { ...event.data.object, client_reference_id: uid } },
    };
    return stripeSent(JSON.stringify(named), secret);
  },
};
