import { onDocumentWritten } from "firebase-functions/firestore";
import { onCall, onRequest } from "firebase-functions/https";
import { setGlobalOptions } from "firebase-functions/options";
import { onSchedule } from "firebase-functions/scheduler";
import { apiKey, reconcileSchedule, webhookSecret } from "./params";
import { createServices } from "./services";

setGlobalOptions({ region: "us-central1" });

const services = createServices();

/** Passbase webhooks and the browser-facing status route: https://<region>-<project>.cloudfunctions.net/widgets */
export const widgets = onRequest(
  // cors: false — CORS is decided per route inside the app (the emulator would otherwise add
  // `cors({ origin: true })` to every route, which production does not).
  { secrets: [webhookSecret], cors: false },
  services.widgets,
);

/** Binds a Passbase verification to the signed-in caller. */
export const linkVerification = onCall(services.linkVerification);

/** Carries review decisions to `users/{uid}` and the `identityVerified` custom claim. */
export const onVerificationWritten = onDocumentWritten(
  { document: "verifications/{key}", retry: true },
  services.onVerificationWritten,
);

/** After a review decision, stores a minimised projection of the identity from Passbase's API. */
export const fetchVerificationDetails = onDocumentWritten(
  { document: "verifications/{key}", secrets: [apiKey] },
  services.fetchVerificationDetails,
);

/** Heals missed webhooks by asking Passbase's API about unresolved verifications. */
export const reconcileVerifications = onSchedule(
  { schedule: reconcileSchedule, secrets: [apiKey], timeoutSeconds: 540 },
  services.reconcileVerifications,
);
