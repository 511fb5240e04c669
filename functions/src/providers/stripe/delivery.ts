import { MAX_SIGNATURE_CHECKS } from "../contract";
import { stripe } from "./provider";
import { parseStripeEvent, type StripeDelivery } from "./event";

/** Stripe's webhook helper, `Stripe.webhooks` of the official package (no client, no API key). */
export interface StripeWebhooks {
  constructEvent(
    payload: Buffer,
    header: string,
    secret: string,
    tolerance?: number,
    cryptoProvider?: undefined,
    receivedAt?: number,
  ): unknown;
}

/** Stripe's own default: a signature older than five minutes is refused. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Stripe events are a few kilobytes; larger bodies are refused before any HMAC. */
export const MAX_STRIPE_BODY_BYTES = stripe.route.maxBytes;

/** Why a delivery was refused: for the logs only, the sender always gets the same answer. */
export type StripeRejectReason =
  | "empty"
  | "too-large"
  | "encoded"
  | "no-signature"
  | "bad-signature"
  | "not-json"
  | "invalid-event";

export type OpenedStripeDelivery =
  | { ok: true; delivery: Exclude<StripeDelivery, { kind: "invalid" }> }
  | { ok: false; reason: StripeRejectReason; issues?: string[] };

const isSignatureError = (error: unknown) =>
  (error as { type?: unknown } | null)?.type === "StripeSignatureVerificationError";

/**
 * Authenticates a delivery with the official `constructEvent` over the raw body (HMAC-SHA256 of
 * `t.body`, any `v1` may match, `t` within the tolerance), then validates what it says.
 */
export function openStripeDelivery(
  body: Buffer,
  header: string | undefined,
  secret: string,
  webhooks: StripeWebhooks,
  now: () => number = Date.now,
): OpenedStripeDelivery {
  if (body.length === 0) return { ok: false, reason: "empty" };
  if (body.length > MAX_STRIPE_BODY_BYTES) return { ok: false, reason: "too-large" };
  if (!header) return { ok: false, reason: "no-signature" };
  // constructEvent computes one HMAC and compares it with each `v1`: more than a rotation's
  // few signatures is no rotation, refused before any work.
  if ((header.match(/(?:^|,)\s*v1=/g)?.length ?? 0) > MAX_SIGNATURE_CHECKS) {
    return { ok: false, reason: "bad-signature" };
  }
  let json: unknown;
  try {
    json = webhooks.constructEvent(
      body,
      header,
      secret,
      SIGNATURE_TOLERANCE_SECONDS,
      undefined,
      now(),
    );
  } catch (error) {
    // Signed, but not JSON: constructEvent parses after it verifies.
    return { ok: false, reason: isSignatureError(error) ? "bad-signature" : "not-json" };
  }
  const delivery = parseStripeEvent(json);
  if (delivery.kind === "invalid") {
    return { ok: false, reason: "invalid-event", issues: delivery.issues };
  }
  return { ok: true, delivery };
}
