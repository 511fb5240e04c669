import { defineBoolean, defineSecret, defineString } from "firebase-functions/params";
import { apiUrlInput } from "../params";

/** Sumsub's params and secrets, defined only when the deployment chooses Sumsub. */
export function defineSumsubParams() {
  return {
    /** The App Token (X-App-Token); Sandbox tokens start with sbx:. */
    appToken: defineSecret("SUMSUB_APP_TOKEN", {
      description: "The Sumsub App Token (Dashboard → Developers → API tokens).",
    }),
    /** The App Token's secret key: it signs every API request. */
    secretKey: defineSecret("SUMSUB_SECRET_KEY", {
      description: "The secret key of the Sumsub App Token.",
    }),
    /** The webhook's own secret; while rotating, the new and the old one, one per line. */
    webhookSecret: defineSecret("SUMSUB_WEBHOOK_SECRET", {
      description:
        "The secret key of the Sumsub webhook .../widgets/webhooks/sumsub; while rotating, the " +
        "new and the old one on two lines.",
    }),
    /** Required: the level applicants are created at. No default, so the deploy asks for it. */
    levelName: defineString("SUMSUB_LEVEL_NAME", {
      description:
        "The Sumsub level (case-sensitive, e.g. basic-kyc-level) applicants are created at and " +
        "access tokens are issued for.",
      input: {
        text: {
          validationRegex: "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$",
          validationErrorMessage: "Enter the name of a level that exists in Sumsub.",
        },
      },
    }),
    apiBaseUrl: defineString("SUMSUB_API_BASE_URL", {
      default: "https://api.sumsub.com",
      description: "Base URL of Sumsub's API (the same for Sandbox and Production).",
      input: apiUrlInput("https://api.sumsub.com", "no path"),
    }),
    /** SHA1 is Sumsub's legacy digest: refused unless this is true. */
    allowSha1: defineBoolean("SUMSUB_ALLOW_SHA1", {
      default: false,
      description:
        "Accept webhooks signed with HMAC_SHA1_HEX (legacy). Set the webhook to SHA256 or SHA512 " +
        "in Sumsub instead where you can.",
    }),
  };
}

export type SumsubParams = ReturnType<typeof defineSumsubParams>;
