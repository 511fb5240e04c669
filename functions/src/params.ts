import { defineBoolean, defineSecret, defineString } from "firebase-functions/params";

/**
 * The Passbase webhook secret: the AES-256 key, exactly 32 bytes of UTF-8. To rotate, put the new
 * key on the first line and keep the old one on the next until Passbase uses the new one.
 */
export const webhookSecret = defineSecret("PASSBASE_WEBHOOK_SECRET");

/** Trials only: accept plaintext JSON deliveries when no webhook secret is configured. */
export const allowUnencrypted = defineBoolean("PASSBASE_ALLOW_UNENCRYPTED", {
  default: false,
  description:
    "Accept unencrypted JSON webhooks when PASSBASE_WEBHOOK_SECRET is empty. For trials only.",
});

/** Browser origins allowed to call the browser-facing routes (not the webhook). */
export const corsOrigins = defineString("CORS_ORIGINS", {
  default: "",
  description:
    "Comma-separated origins (e.g. https://app.example.com) allowed to call GET /verification " +
    "from a browser. Empty: no cross-origin access.",
});
