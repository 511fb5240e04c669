import { randomBytes, randomUUID } from "node:crypto";
import type { ProviderKit, Sent } from "../../../../test/support/kits";
import { createSumsubModule } from "../module";
import { payloadDigest } from "../signature";

/** A new Sumsub applicant id: 24 hex digits. */
export const newApplicantId = () => randomBytes(12).toString("hex");

/** Sumsub's `createdAtMs`: `yyyy-MM-dd HH:mm:ss.fff`, UTC. */
export const sumsubTime = (ms: number) =>
  new Date(ms).toISOString().replace("T", " ").replace("Z", "");

/** A Sumsub applicant webhook, as Sumsub sends it (with a reviewer's free-text comments). */
export function applicantWebhook(
  applicantId: string,
  type: string,
  reviewStatus: string,
  atMs: number,
  answer: "GREEN" | "RED" | null = null,
  rejectType: "FINAL" | "RETRY" | null = null,
) {
  return {
    applicantId,
    inspectionId: randomBytes(12).toString("hex"),
    correlationId: `req-${randomUUID()}`,
    externalUserId: "someone",
    levelName: "basic-kyc-level",
    type,
    sandboxMode: false,
    reviewStatus,
    ...(answer
      ? {
          reviewResult: {
            reviewAnswer: answer,
            ...(answer === "RED"
              ? {
                  reviewRejectType: rejectType ?? "FINAL",
                  rejectLabels: ["UNSATISFACTORY_PHOTOS"],
                  moderationComment: "Jane Doe's photo is blurred",
                  clientComment: "private: Jane Doe, born 1990",
                }
              : {}),
          },
        }
      : {}),
    createdAtMs: sumsubTime(atMs),
  };
}

/** The headers Sumsub signs a body with (SHA256 unless told). */
export const sumsubHeaders = (
  payload: string,
  secret: string,
  algorithm: "HMAC_SHA256_HEX" | "HMAC_SHA512_HEX" | "HMAC_SHA1_HEX" = "HMAC_SHA256_HEX",
) => ({
  "Content-Type": "application/json",
  "X-Payload-Digest": payloadDigest(payload, secret, algorithm),
  "X-Payload-Digest-Alg": algorithm,
});

/** POSTs a body to `/webhooks/sumsub`, signed as Sumsub signs it. */
export async function postSumsubWebhook(base: string, body: object, secret: string) {
  const payload = JSON.stringify(body);
  const res = await fetch(`${base}/webhooks/sumsub`, {
    method: "POST",
    headers: sumsubHeaders(payload, secret),
    body: payload,
  });
  return { status: res.status, text: await res.text() };
}

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

const NONE = { value: () => "" };

export const kit: ProviderKit = {
  secret: "sumsub-kit-webhook-secret",
  secretName: "SUMSUB_WEBHOOK_SECRET",
  deployed: {
    params: ["SUMSUB_LEVEL_NAME", "SUMSUB_API_BASE_URL", "SUMSUB_ALLOW_SHA1"],
    api: ["SUMSUB_APP_TOKEN", "SUMSUB_SECRET_KEY"],
  },
  defaults: { allowSha1: false },
  module: (settings) =>
    createSumsubModule({
      appToken: NONE,
      secretKey: NONE,
      webhookSecret: { value: () => settings().webhookSecret },
      levelName: NONE,
      apiBaseUrl: NONE,
      allowSha1: { value: () => settings().allowSha1 === true },
    }),
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
  decide: (id, secret, decision, at) =>
    sumsubSent(
      JSON.stringify(
        decision === "approved"
          ? applicantWebhook(id, "applicantReviewed", "completed", at * 1000, "GREEN")
          : applicantWebhook(id, "applicantReviewed", "completed", at * 1000, "RED", "FINAL"),
      ),
      secret,
    ),
  // A retry, then an approval, as Sumsub sends them.
  life: (id, secret) => {
    const t = Date.now() - 3_600_000;
    const bodies = [
      applicantWebhook(id, "applicantPending", "pending", t),
      applicantWebhook(id, "applicantReviewed", "completed", t + 60_000, "RED", "RETRY"),
      applicantWebhook(id, "applicantPending", "pending", t + 300_000),
      applicantWebhook(id, "applicantReviewed", "completed", t + 400_000, "GREEN"),
    ];
    return {
      sent: bodies.map((body) => sumsubSent(JSON.stringify(body), secret)),
      kept: bodies.length,
      holds: { providerStatus: "completed", reviewAnswer: "GREEN", canRetry: false },
    };
  },
  erased: { outcome: "deactivated", stillHeld: /Sumsub/ },
  ignored: (id, secret) =>
    sumsubSent(
      JSON.stringify({
        ...applicantWebhook(id, "applicantReviewed", "completed", Date.now(), "GREEN"),
        type: "applicantActionReviewed",
        correlationId: `req-${randomUUID()}`,
      }),
      secret,
    ),
  rotation: (newest, older) => `${newest}
${older}`,
  personalData: /Jane|private|blurred|someone|Zebedee|Quillfeather|\b1990\b/,
  apiAnswer: (_id, decision) => ({
    reviewId: "local",
    levelName: "basic-kyc-level",
    attemptCnt: 1,
    reviewStatus: "completed",
    reviewResult:
      decision === "approved"
        ? { reviewAnswer: "GREEN" }
        : { reviewAnswer: "RED", reviewRejectType: "FINAL" },
  }),
  // From `info`, never `fixedInfo` (the stand-in's says 2015 and France).
  facts: {
    ageOver: { "18": true, "21": true },
    documentExpiresOn: "2031-06-30",
    issuingCountry: "DE",
    documentType: "passport",
  },
  naming: (id, secret, uid, at) =>
    sumsubSent(
      JSON.stringify({
        ...applicantWebhook(id, "applicantReviewed", "completed", at * 1000, "GREEN"),
        externalUserId: uid,
      }),
      secret,
    ),
};
