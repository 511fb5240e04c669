import Stripe from "stripe";
import { EVENT_OF_STATUS } from "../../src/providers/persona/observe";
import { signatureHeader } from "../../src/providers/persona/signature";
import type { ReceiverConfig } from "./app";
import { inquiryEvent, newInquiryId } from "./persona";
import { newSessionId, sessionEvent } from "./stripe";
import { newRunId, onfidoHeaders, runWebhook } from "./onfido";
import { applicantWebhook, newApplicantId, sumsubHeaders } from "./sumsub";
import {
  decisionWebhook,
  eventWebhook,
  newSessionId as newVeriffSessionId,
  veriffHeaders,
} from "./veriff";
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
  id: "passbase" | "stripe" | "persona" | "veriff" | "sumsub" | "onfido";
  /** The log label of its route's lines. */
  label: string;
  path: string;
  configured: (secret: string) => Partial<ReceiverConfig>;
  secret: string;
  newId: () => string;
  deliver: (id: string, secret: string) => Sent;
  /** A delivery saying the verification reached `stage` of its provider's lifecycle at `at`. */
  stage: (id: string, secret: string, stage: string, at: number) => Sent;
}

const stripeSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/stripe",
  body: payload,
  headers: {
    "Content-Type": "application/json",
    "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret }),
  },
});

const personaSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/persona",
  body: payload,
  headers: {
    "Content-Type": "application/json",
    "Persona-Signature": signatureHeader(payload, [secret], now()),
  },
});

const veriffSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/veriff",
  body: payload,
  headers: veriffHeaders(payload, secret),
});

const onfidoSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/onfido",
  body: payload,
  headers: onfidoHeaders(payload, secret),
});

const sumsubSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/sumsub",
  body: payload,
  headers: sumsubHeaders(payload, secret),
});

/** The webhook type that carries each of Sumsub's review statuses. */
const SUMSUB_TYPES: Record<string, string> = {
  init: "applicantCreated",
  pending: "applicantPending",
  prechecked: "applicantPrechecked",
  queued: "applicantPrechecked",
  onHold: "applicantOnHold",
};

/** Stripe's stages as its events say them: the event type, the status, the error. */
const STRIPE_STAGES: Record<string, [string, string, string | null]> = {
  requires_input: ["created", "requires_input", null],
  processing: ["processing", "processing", null],
  verified: ["verified", "verified", null],
  canceled: ["canceled", "canceled", null],
  requires_input_error: ["requires_input", "requires_input", "selfie_face_mismatch"],
};

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
    stage: (id, secret, stage, at) => {
      const { completed, reviewed } = lifecycle(id);
      const event = stage === "VERIFICATION_REVIEWED" ? reviewed : completed;
      const dated = { ...event, created: at, updated: at, processed: at };
      return {
        path: "/webhooks",
        body: encryptedBody(dated, secret.padEnd(32, "x").slice(0, 32)),
        headers: { "Content-Type": "text/plain" },
      };
    },
  },
  {
    id: "stripe",
    label: "stripe webhook",
    path: "/webhooks/stripe",
    configured: (secret) => ({ webhookSecret: "", stripeWebhookSecret: secret }),
    secret: "whsec_kit_secret",
    newId: newSessionId,
    deliver: (id, secret) =>
      stripeSent(JSON.stringify(sessionEvent(id, "processing", "processing", now())), secret),
    stage: (id, secret, stage, at) => {
      const [type, status, error] = STRIPE_STAGES[stage] ?? ["", "", null];
      return stripeSent(JSON.stringify(sessionEvent(id, type, status, at, error)), secret);
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
    deliver: (id, secret) =>
      personaSent(JSON.stringify(inquiryEvent(id, "started", "pending", Date.now())), secret),
    stage: (id, secret, stage, at) => {
      const name = (EVENT_OF_STATUS[stage] ?? "").replace(/^inquiry\./, "");
      return personaSent(JSON.stringify(inquiryEvent(id, name, stage, at * 1000)), secret);
    },
  },
  {
    id: "veriff",
    label: "veriff webhook",
    path: "/webhooks/veriff",
    configured: (secret) => ({ webhookSecret: "", veriffSharedSecret: secret }),
    secret: "veriff-kit-shared-secret",
    newId: newVeriffSessionId,
    deliver: (id, secret) => veriffSent(JSON.stringify(eventWebhook(id, "started")), secret),
    stage: (id, secret, stage, at) =>
      veriffSent(
        JSON.stringify(
          ["created", "started", "submitted"].includes(stage)
            ? eventWebhook(id, stage)
            : decisionWebhook(id, stage, at * 1000),
        ),
        secret,
      ),
  },
  {
    id: "sumsub",
    label: "sumsub webhook",
    path: "/webhooks/sumsub",
    configured: (secret) => ({
      webhookSecret: "",
      sumsub: { webhookSecret: secret, allowSha1: false },
    }),
    secret: "sumsub-kit-webhook-secret",
    newId: newApplicantId,
    deliver: (id, secret) =>
      sumsubSent(
        JSON.stringify(applicantWebhook(id, "applicantPending", "pending", Date.now())),
        secret,
      ),
    stage: (id, secret, stage, at) =>
      sumsubSent(
        JSON.stringify(
          stage === "completed"
            ? applicantWebhook(id, "applicantReviewed", "completed", at * 1000, "GREEN")
            : applicantWebhook(id, SUMSUB_TYPES[stage] ?? "applicantPending", stage, at * 1000),
        ),
        secret,
      ),
  },
  {
    id: "onfido",
    label: "onfido webhook",
    path: "/webhooks/onfido",
    configured: (secret) => ({ webhookSecret: "", onfidoWebhookToken: secret }),
    secret: "onfido_kit_webhook_token",
    newId: newRunId,
    deliver: (id, secret) =>
      onfidoSent(JSON.stringify(runWebhook(id, "processing", Date.now())), secret),
    stage: (id, secret, stage, at) =>
      onfidoSent(JSON.stringify(runWebhook(id, stage, at * 1000)), secret),
  },
];
