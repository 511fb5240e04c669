import { initializeApp } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { setGlobalOptions } from "firebase-functions/v2";
import * as logger from "firebase-functions/logger";
import { onDocumentWritten } from "firebase-functions/v2/firestore";
import { onCall, onRequest } from "firebase-functions/v2/https";
import { createApp } from "./http/app";
import { createLinkVerification } from "./http/link-verification";
import { createLogs } from "./logs";
import { allowUnencrypted, corsOrigins, webhookSecret } from "./params";
import { createLinkStore } from "./store/links";
import { createClaimWriter, createUserSync } from "./store/users";
import { createVerificationStore } from "./store/verification-store";
import { createOnVerificationWritten } from "./triggers/on-verification-written";

initializeApp();
setGlobalOptions({ region: "us-central1" });

const db = () => getFirestore();
const logs = createLogs(logger);
const users = createUserSync(
  db,
  createClaimWriter(() => getAuth()),
);

/** Passbase webhooks and the browser-facing status route: https://<region>-<project>.cloudfunctions.net/widgets */
export const widgets = onRequest(
  // cors: false — CORS is decided per route inside the app (the emulator would otherwise add
  // `cors({ origin: true })` to every route, which production does not).
  { secrets: [webhookSecret], cors: false },
  createApp({
    store: createVerificationStore(db),
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
export const linkVerification = onCall(
  createLinkVerification({ links: createLinkStore(db), logs }),
);

/** Carries review decisions to `users/{uid}` and the `identityVerified` custom claim. */
export const onVerificationWritten = onDocumentWritten(
  { document: "verifications/{key}", retry: true },
  createOnVerificationWritten({ users, logs }),
);
