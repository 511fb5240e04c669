import { defineBoolean, defineSecret, defineString } from "firebase-functions/params";
import { apiUrlInput } from "../params";

/** Passbase's params and secrets, defined only when the deployment chooses Passbase. */
export function definePassbaseParams() {
  return {
    /**
     * The webhook secret: the AES-256 key, exactly 32 bytes of UTF-8. To rotate, put the new key
     * on the first line and keep the old one on the next until Passbase uses the new one.
     */
    webhookSecret: defineSecret("PASSBASE_WEBHOOK_SECRET", {
      description:
        "The webhook secret from Passbase's dashboard: exactly 32 ASCII characters (the AES-256 " +
        "key). While rotating: the new key on the first line, the old one on the second.",
    }),
    /** Trials only: accept plaintext JSON deliveries when no webhook secret is configured. */
    allowUnencrypted: defineBoolean("PASSBASE_ALLOW_UNENCRYPTED", {
      default: false,
      description:
        "Accept unencrypted JSON webhooks when PASSBASE_WEBHOOK_SECRET is empty. For trials only.",
    }),
    /** The secret API key, for `GET /identities/{id}`. */
    apiKey: defineSecret("PASSBASE_SECRET_API_KEY", {
      description: "Passbase's secret API key, for the identity details and reconciliation.",
    }),
    apiBaseUrl: defineString("PASSBASE_API_BASE_URL", {
      default: "https://api.passbase.com/verification/v1",
      description: "Base URL of Passbase's Verification API.",
      input: apiUrlInput("https://api.passbase.com/verification/v1", "a path"),
    }),
    /** Personal data: off unless the operator decides to keep it. */
    storeOwner: defineBoolean("PASSBASE_STORE_OWNER", {
      default: false,
      description: "Store the identity owner's name and e-mail with the verification's details.",
    }),
    metadataUidField: defineString("PASSBASE_METADATA_UID_FIELD", {
      default: "uid",
      description:
        "The field of the identity's metadata that carries the app's user id, for linking.",
    }),
  };
}

export type PassbaseParams = ReturnType<typeof definePassbaseParams>;
