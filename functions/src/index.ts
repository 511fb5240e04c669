import { onDocumentWritten } from "firebase-functions/firestore";
import { onCall, onRequest } from "firebase-functions/https";
import { onUserDeleted as onAuthUserDeleted } from "firebase-functions/identity";
import { setGlobalOptions } from "firebase-functions/options";
import { onSchedule } from "firebase-functions/scheduler";
import { onTaskDispatched } from "firebase-functions/tasks";
import {
  appCheckEnforced,
  CHECK_MAX_ATTEMPTS,
  checkMaxConcurrent,
  checkMaxPerSecond,
  checkRetryMinSeconds,
  kitInstance,
  reconcileSchedule,
  REGION,
  storeNamesOf,
} from "./params";
import { chooseProviders } from "./providers/registry";
import { createServices } from "./services";

// Inside a function kit the CLI's wrapper sets the global options (its region param) first.
if (kitInstance() === undefined) setGlobalOptions({ region: REGION });

// The deployment's providers, from VERIFICATION_PROVIDERS in functions/.env (a kit instance's
// own .env): only their params are defined and only their secrets bound, so a deploy asks for
// nothing else. Its collections and claim too: the Firestore trigger watches its collection.
const registry = chooseProviders(process.env.VERIFICATION_PROVIDERS);
const names = storeNamesOf();
const services = createServices(registry, names);

/**
 * Each chosen provider's webhook (Passbase at /webhooks, the others at /webhooks/<id>) and the
 * browser-facing status route:
 * https://<region>-<project>.cloudfunctions.net/widgets
 */
export const widgets = onRequest(
  // cors: false — CORS is decided per route inside the app (the emulator would otherwise add
  // `cors({ origin: true })` to every route, which production does not).
  { secrets: registry.webhookSecrets, cors: false },
  services.widgets,
);

/** Binds a verification the user's client SDK handed the app (Passbase's) to the signed-in caller. */
export const linkVerification = onCall(
  { enforceAppCheck: appCheckEnforced() },
  services.linkVerification,
);

/** Starts (or resumes) a verification for the signed-in caller, at a provider that starts them. */
export const startVerification = onCall(
  {
    secrets: registry.apiSecrets,
    // A session costs money: with APP_CHECK=enforce, each App Check token starts one at most.
    enforceAppCheck: appCheckEnforced(),
    consumeAppCheckToken: appCheckEnforced(),
  },
  services.startVerification,
);

/** Carries decisions to `users/{uid}` and the `identityVerified` claim; queues their details. */
export const onVerificationWritten = onDocumentWritten(
  { document: `${names.verifications}/{key}`, retry: true },
  services.onVerificationWritten,
);

/**
 * The check queue (Cloud Tasks): one lookup in the provider's API per dispatch, for a decision's
 * details or a reconciliation check. Transient failures are retried here, with backoff.
 */
export const checkVerification = onTaskDispatched(
  {
    secrets: registry.apiSecrets,
    retryConfig: {
      maxAttempts: CHECK_MAX_ATTEMPTS,
      minBackoffSeconds: checkRetryMinSeconds,
      maxBackoffSeconds: 600,
      maxDoublings: 5,
    },
    rateLimits: {
      maxConcurrentDispatches: checkMaxConcurrent,
      maxDispatchesPerSecond: checkMaxPerSecond,
    },
  },
  services.checkVerification,
);

/**
 * Erases a deleted user's verification data: here at once, at each provider through the check
 * queue. 2nd gen, as every function here (the Auth emulator delivers it; the API is beta).
 */
export const onUserDeleted = onAuthUserDeleted({ retry: true }, services.onUserDeleted);

/** The signed-in caller's approved verification's facts derived again, from its provider. */
export const refreshVerificationFacts = onCall(
  { secrets: registry.apiSecrets, enforceAppCheck: appCheckEnforced() },
  services.refreshVerificationFacts,
);

/** The signed-in caller's verification data erased, their account kept. */
export const eraseVerificationData = onCall(services.eraseVerificationData);

/** Heals missed webhooks: queues a check for each unresolved verification that is due. */
export const reconcileVerifications = onSchedule(
  { schedule: reconcileSchedule, secrets: registry.apiSecrets },
  services.reconcileVerifications,
);
