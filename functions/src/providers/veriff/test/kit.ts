import { Timestamp } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { PERSON } from "../../../../scripts/dev/person.cjs";
import type { ProviderKit, Sent } from "../../../../test/support/kits";
import { createVeriffModule } from "../module";
import { veriffSignature } from "../signature";

/** A new Veriff session id (a UUID). */
export const newSessionId = () => randomUUID();

/** A Veriff decision webhook, as Veriff sends it (personal data included). */
export function decisionWebhook(
  sessionId: string,
  status: string,
  decisionTimeMs: number | null,
  attemptId: string = randomUUID(),
) {
  const codes: Record<string, number> = {
    approved: 9001,
    declined: 9102,
    resubmission_requested: 9103,
    expired: 9104,
    abandoned: 9104,
    review: 9121,
  };
  return {
    status: "success",
    verification: {
      id: sessionId,
      attemptId,
      vendorData: "someone",
      endUserId: randomUUID(),
      status,
      code: codes[status] ?? 9999,
      reason: status === "declined" ? "Jane Doe's photo did not match" : null,
      reasonCode: status === "declined" ? 102 : null,
      acceptanceTime: "2024-11-06T07:00:00.000000Z",
      decisionTime: decisionTimeMs === null ? null : new Date(decisionTimeMs).toISOString(),
      person: {
        firstName: PERSON.givenName,
        lastName: PERSON.familyName,
        dateOfBirth: "1990-02-14",
        yearOfBirth: 1990,
        idNumber: "X1234567",
      },
      // validUntil only where Veriff enabled its extraction: not by default.
      document: { number: PERSON.documentNumber, type: "PASSPORT", country: "EE" },
      additionalVerifiedData: {},
    },
    technicalData: { ip: "203.0.113.7" },
  };
}

/** A Veriff event webhook: progress only, no time. */
export const eventWebhook = (
  sessionId: string,
  action: string,
  attemptId: string = randomUUID(),
) => ({
  id: sessionId,
  attemptId,
  feature: "selfid",
  code: action === "started" ? 7001 : action === "submitted" ? 7002 : 7999,
  action,
  vendorData: "someone",
  endUserId: randomUUID(),
});

/** The headers Veriff signs a body with. */
export const veriffHeaders = (payload: string, secret: string) => ({
  "Content-Type": "application/json",
  "X-HMAC-SIGNATURE": veriffSignature(payload, secret),
});

/** POSTs a body to `/webhooks/veriff`, signed as Veriff signs it. */
export async function postVeriffWebhook(base: string, body: object, secret: string) {
  const payload = JSON.stringify(body);
  const res = await fetch(`${base}/webhooks/veriff`, {
    method: "POST",
    headers: veriffHeaders(payload, secret),
    body: payload,
  });
  return { status: res.status, text: await res.text() };
}

const veriffSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/veriff",
  body: payload,
  headers: veriffHeaders(payload, secret),
});

const NONE = { value: () => "" };

export const kit: ProviderKit = {
  secret: "veriff-kit-shared-secret",
  secretName: "VERIFF_SHARED_SECRET",
  deployed: {
    params: ["VERIFF_API_BASE_URL", "VERIFF_CALLBACK_URL"],
    // Veriff signs its API requests with the webhook's shared secret.
    api: ["VERIFF_API_KEY", "VERIFF_SHARED_SECRET"],
  },
  module: (settings) =>
    createVeriffModule({
      apiKey: NONE,
      sharedSecret: { value: () => settings().webhookSecret },
      apiBaseUrl: NONE,
      callbackUrl: NONE,
    }),
  newId: newSessionId,
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
  decide: (id, secret, decision, at) =>
    veriffSent(JSON.stringify(decisionWebhook(id, decision, at * 1000)), secret),
  life: (id, secret) => {
    const t = Date.now() - 3_600_000;
    const [first, second] = [randomUUID(), randomUUID()];
    const bodies = [
      eventWebhook(id, "started", first),
      eventWebhook(id, "submitted", first),
      decisionWebhook(id, "resubmission_requested", t + 120_000, first),
      eventWebhook(id, "started", second),
      eventWebhook(id, "submitted", second),
      decisionWebhook(id, "approved", t + 520_000, second),
    ];
    return {
      sent: bodies.map((body) => veriffSent(JSON.stringify(body), secret)),
      kept: bodies.length,
      holds: {
        providerStatus: "approved",
        canRetry: false,
        decisionTime: Timestamp.fromMillis(t + 520_000),
      },
    };
  },
  abandon: (id, secret, at) =>
    veriffSent(JSON.stringify(decisionWebhook(id, "abandoned", at * 1000)), secret),
  erased: { outcome: "deleted" },
  rotation: (newest, older) => `${newest}
${older}`,
  personalData: /Jane|Doe|\b1990\b|X1234567|ZQ7731942|someone|203\.0|Zebedee|Quillfeather/,
  apiAnswer: (id, decision) => decisionWebhook(id, decision, Date.now() - 60_000),
  facts: { ageOver: { "18": true, "21": true }, issuingCountry: "EE", documentType: "passport" },
  naming: (id, secret, uid, at) => {
    const approved = decisionWebhook(id, "approved", at * 1000);
    approved.verification.vendorData = uid;
    return veriffSent(JSON.stringify(approved), secret);
  },
};
