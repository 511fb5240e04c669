import Stripe from "stripe";
import type { AppDeps, ReceiverConfig } from "../../src/http/app";

/** The receiver's configuration for in-process apps: Passbase's secret, nothing else switched on. */
export const receiverConfig = (
  webhookSecret: string,
  overrides: Partial<ReceiverConfig> = {},
): (() => ReceiverConfig) => {
  const config = {
    webhookSecret,
    allowUnencrypted: false,
    corsOrigins: "",
    stripeWebhookSecret: "",
    ...overrides,
  };
  return () => config;
};

/** The official package's webhook helper, as `widgets` loads it. */
export const stripeWebhooks: AppDeps["stripeWebhooks"] = () => Promise.resolve(Stripe.webhooks);
