import Stripe from "stripe";
import { signatureHeader } from "../../src/providers/persona/signature";
import type { ReceiverConfig } from "./app";
import { inquiryEvent, newInquiryId } from "./persona";
import { newSessionId, sessionEvent } from "./stripe";
import { encryptedBody, lifecycle } from "./webhooks";
import { randomUUID } from "node:crypto";

/** A delivery as a provider sends it: where, what, and with which headers. */
export interface Sent {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * What the suites every provider must pass need of one provider: its route, its secret in the
 * in-process app's configuration, a new verification id, and a delivery about it signed (or
 * encrypted) with the right secret or with another.
 */
export interface Kit {
  id: "passbase" | "stripe" | "persona";
  /** The log label of its route's lines. */
  label: string;
  path: string;
  configured: (secret: string) => Partial<ReceiverConfig>;
  secret: string;
  newId: () => string;
  deliver: (id: string, secret: string) => Sent;
}

const now = () => Math.floor(Date.now() / 1000);

export const KITS: Kit[] = [
  {
    id: "passbase",
    label: "webhook",
    path: "/webhooks",
    configured: (secret) => ({ webhookSecret: secret }),
    secret: "0123456789abcdef0123456789abcdef",
    newId: () => randomUUID(),
    deliver: (id, secret) => ({
      path: "/webhooks",
      body: encryptedBody(lifecycle(id).completed, secret.padEnd(32, "x").slice(0, 32)),
      headers: { "Content-Type": "text/plain" },
    }),
  },
  {
    id: "stripe",
    label: "stripe webhook",
    path: "/webhooks/stripe",
    configured: (secret) => ({ webhookSecret: "", stripeWebhookSecret: secret }),
    secret: "whsec_kit_secret",
    newId: newSessionId,
    deliver: (id, secret) => {
      const payload = JSON.stringify(sessionEvent(id, "processing", "processing", now()));
      return {
        path: "/webhooks/stripe",
        body: payload,
        headers: {
          "Content-Type": "application/json",
          "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
        },
      };
    },
  },
  {
    id: "persona",
    label: "persona webhook",
    path: "/webhooks/persona",
    configured: (secret) => ({
      webhookSecret: "",
      persona: { webhookSecret: secret, toleranceSeconds: 600, completedMeans: "pending" },
    }),
    secret: "wbhsec_kit_secret",
    newId: newInquiryId,
    deliver: (id, secret) => {
      const payload = JSON.stringify(inquiryEvent(id, "started", "pending", Date.now()));
      return {
        path: "/webhooks/persona",
        body: payload,
        headers: {
          "Content-Type": "application/json",
          "Persona-Signature": signatureHeader(payload, [secret], now()),
        },
      };
    },
  },
];
