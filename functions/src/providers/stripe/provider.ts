import type { Provider } from "../contract";
import { secretValue } from "../params";
import { defineStripeParams } from "./params";

/** Stripe Identity: VerificationSessions, signed webhooks, started by `startVerification`. */
export const stripe: Provider = {
  id: "stripe",
  name: "Stripe Identity",
  // Stripe events are a few kilobytes; larger bodies are refused before any HMAC.
  route: { path: "/webhooks/stripe", maxBytes: 256 * 1024 },
  logLabel: "stripe webhook",
  linking: "started",
  // A session opens waiting for input; a submission is processed; then it is verified, canceled,
  // or waits for input again after an error (`last_error`), which a retry can process again.
  lifecycle: [["requires_input"], ["processing"], ["verified", "canceled", "requires_input_error"]],
  choose() {
    const params = defineStripeParams();
    return {
      webhookSecrets: [params.webhookSecret],
      apiSecrets: [params.secretKey],
      apiConfigured: () => secretValue(params.secretKey) !== "",
      load: async () => (await import("./module.js")).createStripeModule(params),
    };
  },
};
