import { defineBoolean, defineSecret } from "firebase-functions/params";

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
