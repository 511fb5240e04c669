import { onDocumentWritten } from "firebase-functions/firestore";
import { onCall, onRequest } from "firebase-functions/https";
import { setGlobalOptions } from "firebase-functions/options";
import { onSchedule } from "firebase-functions/scheduler";
import { onTaskDispatched } from "firebase-functions/tasks";
import {
  apiKey,
  CHECK_MAX_ATTEMPTS,
  checkMaxPerSecond,
  checkRetryMinSeconds,
  personaApiKey,
  personaWebhookSecret,
  reconcileSchedule,
  REGION,
  stripeSecretKey,
  stripeWebhookSecret,
  webhookSecret,
} from "./params";
import { createServices } from "./services";

setGlobalOptions({ region: REGION });

const services = createServices();

/**
 * Provider webhooks (Passbase at /webhooks, Stripe at /webhooks/stripe, Persona at
 * /webhooks/persona) and the browser-facing
 * status route: https://<region>-<project>.cloudfunctions.net/widgets
 */
export const widgets = onRequest(
  // cors: false — CORS is decided per route inside the app (the emulator would otherwise add
  // `cors({ origin: true })` to every route, which production does not).
  { secrets: [webhookSecret, stripeWebhookSecret, personaWebhookSecret], cors: false },
  services.widgets,
);

/** Binds a Passbase verification to the signed-in caller. */
export const linkVerification = onCall(services.linkVerification);

/** Starts (or resumes) a Stripe Identity session or a Persona inquiry for the signed-in caller. */
export const startVerification = onCall(
  { secrets: [stripeSecretKey, personaApiKey] },
  services.startVerification,
);

/** Carries decisions to `users/{uid}` and the `identityVerified` claim; queues their details. */
export const onVerificationWritten = onDocumentWritten(
  { document: "verifications/{key}", retry: true },
  services.onVerificationWritten,
);

/**
 * The check queue (Cloud Tasks): one lookup in the provider's API per dispatch, for a decision's
 * details or a reconciliation check. Transient failures are retried here, with backoff.
 */
export const checkVerification = onTaskDispatched(
  {
    secrets: [apiKey, stripeSecretKey, personaApiKey],
    retryConfig: {
      maxAttempts: CHECK_MAX_ATTEMPTS,
      minBackoffSeconds: checkRetryMinSeconds,
      maxBackoffSeconds: 600,
      maxDoublings: 5,
    },
    rateLimits: { maxConcurrentDispatches: 10, maxDispatchesPerSecond: checkMaxPerSecond },
  },
  services.checkVerification,
);

/** Heals missed webhooks: queues a check for each unresolved verification that is due. */
export const reconcileVerifications = onSchedule(
  { schedule: reconcileSchedule, secrets: [apiKey, stripeSecretKey, personaApiKey] },
  services.reconcileVerifications,
);
