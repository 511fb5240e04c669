import request from "supertest";
import Stripe from "stripe";
import { signatureHeader } from "../../src/providers/persona/signature";
import { receiverConfig, recordingApp, type ReceiverConfig } from "../support/app";
import { inquiryEvent } from "../support/persona";
import { sessionEvent } from "../support/stripe";
import { encryptedBody, lifecycle } from "../support/webhooks";

const PASSBASE = "0123456789abcdef0123456789abcdef";
const STRIPE = "whsec_secrets_test";
const PERSONA = "wbhsec_secrets_test";
const { completed } = lifecycle();
const now = () => Math.floor(Date.now() / 1000);

/** A delivery to each route, signed or encrypted with the secret as the provider holds it. */
const deliveries = {
  passbase: () => ({
    path: "/webhooks",
    body: encryptedBody(completed, PASSBASE),
    headers: { "Content-Type": "text/plain" },
  }),
  stripe: () => {
    const payload = JSON.stringify(sessionEvent("vs_1", "verified", "verified", now()));
    return {
      path: "/webhooks/stripe",
      body: payload,
      headers: {
        "Content-Type": "application/json",
        "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE }),
      },
    };
  },
  persona: () => {
    const payload = JSON.stringify(inquiryEvent("inq_1", "approved", "approved", Date.now()));
    return {
      path: "/webhooks/persona",
      body: payload,
      headers: {
        "Content-Type": "application/json",
        "Persona-Signature": signatureHeader(payload, [PERSONA], now()),
      },
    };
  },
};
type Route = keyof typeof deliveries;

/** Each route's secret set to `value` (the others unset). */
const configured = (route: Route, value: string): Partial<ReceiverConfig> =>
  route === "passbase"
    ? { webhookSecret: value }
    : route === "stripe"
      ? { webhookSecret: "", stripeWebhookSecret: value }
      : {
          webhookSecret: "",
          persona: { webhookSecret: value, toleranceSeconds: 600, completedMeans: "pending" },
        };
const secretOf: Record<Route, string> = { passbase: PASSBASE, stripe: STRIPE, persona: PERSONA };

async function deliver(route: Route, secret: string) {
  const { app, received, stripe, persona } = recordingApp(
    receiverConfig("", configured(route, secret)),
  );
  const { path, body, headers } = deliveries[route]();
  const res = await request(app).post(path).set(headers).send(body);
  return { status: res.status, stored: [...received, ...stripe, ...persona].length };
}

describe("secrets are read strictly, on every route", () => {
  it.each<[Route, number]>([
    // Passbase's route fails closed with 500 while its secret is unset; the signed ones are off.
    ["passbase", 500],
    ["stripe", 404],
    ["persona", 404],
  ])(
    "%s: a secret of only white space is no secret (answered %i, nothing stored)",
    async (route, answer) => {
      for (const blank of [" ", "\n", " \t\n "]) {
        expect(await deliver(route, blank)).toEqual({ status: answer, stored: 0 });
      }
    },
  );

  it.each<Route>(["passbase", "stripe", "persona"])(
    "%s: the newline a shell pipe adds to the secret is trimmed",
    async (route) => {
      expect(await deliver(route, `${secretOf[route]}\n`)).toEqual({ status: 200, stored: 1 });
      expect(await deliver(route, ` ${secretOf[route]}\r\n`)).toEqual({ status: 200, stored: 1 });
    },
  );
});
