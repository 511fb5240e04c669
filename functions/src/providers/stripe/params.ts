import { defineSecret, defineString } from "firebase-functions/params";
import { apiUrlInput } from "../params";

/** Stripe Identity's params and secrets, defined only when the deployment chooses Stripe. */
export function defineStripeParams() {
  return {
    /** The webhook endpoint's signing secret (whsec_...). Empty: POST /webhooks/stripe answers 404. */
    webhookSecret: defineSecret("STRIPE_WEBHOOK_SECRET", {
      description:
        "The signing secret (whsec_...) of the Stripe webhook endpoint .../widgets/webhooks/stripe.",
    }),
    /** A restricted key that may create and read VerificationSessions. */
    secretKey: defineSecret("STRIPE_SECRET_KEY", {
      description:
        "A Stripe restricted key (rk_...) with Identity Verification Sessions: write, for " +
        "startVerification and the sessions' confirmation.",
    }),
    apiBaseUrl: defineString("STRIPE_API_BASE_URL", {
      default: "https://api.stripe.com",
      description: "Base URL of Stripe's API.",
      input: apiUrlInput("https://api.stripe.com", "no path"),
    }),
  };
}

export type StripeParams = ReturnType<typeof defineStripeParams>;
