import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { setGlobalOptions } from "firebase-functions/v2";
import * as logger from "firebase-functions/logger";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall, onRequest } from "firebase-functions/v2/https";
import { onSchedule } from "firebase-functions/v2/scheduler";
import { createDetailsServices } from "./details/services";
import { createApp } from "./http/app";
import { createLinkVerification } from "./http/link-verification";
import { createLogs } from "./logs";
import { createPassbaseApi } from "./passbase/api-client";
import {
  allowUnencrypted,
  apiBaseUrl,
  apiKey,
  corsOrigins,
  metadataUidField,
  reconcileAfterMinutes,
  reconcileLimit,
  reconcileSchedule,
  storeOwner,
  webhookSecret,
} from "./params";
import { createClaimWriter, createUserSync } from "./store/users";
import { createFetchVerificationDetails } from "./triggers/fetch-verification-details";
import { createOnVerificationWritten } from "./triggers/on-verification-written";
import { createReconcileVerifications } from "./triggers/reconcile-verifications";

initializeApp();
setGlobalOptions({ region: "us-central1" });

const db = () => getFirestore();
const logs = createLogs(logger);
const users = createUserSync(
  db,
  createClaimWriter(() => getAuth()),
);
const { events, links, details, reconciler } = createDetailsServices({
  db,
  logs,
  uidField: () => metadataUidField.value(),
  includeOwner: () => storeOwner.value(),
});
/** The Passbase API client for this invocation; undefined (skip) when no API key is set. */
const passbaseApi = () => {
  const key = apiKey.value();
  return key ? createPassbaseApi({ baseUrl: apiBaseUrl.value(), apiKey: key }) : undefined;
};

/** Passbase webhooks and the browser-facing status route: https://<region>-<project>.cloudfunctions.net/widgets */
export const widgets = onRequest(
  // cors: false — CORS is decided per route inside the app (the emulator would otherwise add
  // `cors({ origin: true })` to every route, which production does not).
  { secrets: [webhookSecret], cors: false },
  createApp({
    store: events,
    users,
    verifyIdToken: async (token) => (await getAuth().verifyIdToken(token)).uid,
    config: () => ({
      webhookSecret: webhookSecret.value(),
      allowUnencrypted: allowUnencrypted.value(),
      corsOrigins: corsOrigins.value(),
    }),
    logger,
  }),
);

/** Binds a Passbase verification to the signed-in caller. */
export const linkVerification = onCall(createLinkVerification({ links, logs }));

/** Carries review decisions to `users/{uid}` and the `identityVerified` custom claim. */
export const onVerificationWritten = onDocumentWritten(
  { document: "verifications/{key}", retry: true },
  createOnVerificationWritten({ users, logs }),
);

/** After a review decision, stores a minimised projection of the identity from Passbase's API. */
export const fetchVerificationDetails = onDocumentWritten(
  { document: "verifications/{key}", secrets: [apiKey] },
  createFetchVerificationDetails({ api: passbaseApi, details, logs }),
);

/** Heals missed webhooks by asking Passbase's API about unresolved verifications. */
export const reconcileVerifications = onSchedule(
  { schedule: reconcileSchedule, secrets: [apiKey], timeoutSeconds: 540 },
  createReconcileVerifications({
    api: passbaseApi,
    reconciler,
    options: () => ({
      olderThanMinutes: reconcileAfterMinutes.value(),
      limit: reconcileLimit.value(),
    }),
    logs,
  }),
);
