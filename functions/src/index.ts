import { initializeApp } from "firebase-admin/app";
import { getFirestore } from "firebase-admin/firestore";
import { setGlobalOptions } from "firebase-functions/v2";
import * as logger from "firebase-functions/logger";
import { onRequest } from "firebase-functions/v2/https";
import { createApp } from "./http/app";
import { allowUnencrypted, webhookSecret } from "./params";
import { createVerificationStore } from "./store/verification-store";

initializeApp();
setGlobalOptions({ region: "us-central1" });

/** Passbase webhooks: POST https://<region>-<project>.cloudfunctions.net/widgets/webhooks */
export const widgets = onRequest(
  { secrets: [webhookSecret] },
  createApp({
    store: createVerificationStore(() => getFirestore()),
    config: () => ({
      webhookSecret: webhookSecret.value(),
      allowUnencrypted: allowUnencrypted.value(),
    }),
    logger,
  }),
);
