import { defineBoolean, defineInt, defineSecret, defineString } from "firebase-functions/params";
import type { CheckSchedule } from "./background/plan";

/**
 * The Passbase webhook secret: the AES-256 key, exactly 32 bytes of UTF-8. To rotate, put the new
 * key on the first line and keep the old one on the next until Passbase uses the new one.
 */
export const webhookSecret = defineSecret("PASSBASE_WEBHOOK_SECRET", {
  description:
    "The webhook secret from Passbase's dashboard: exactly 32 ASCII characters (the AES-256 " +
    "key). While rotating: the new key on the first line, the old one on the second.",
});

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
  input: {
    text: {
      // Empty, or origins (scheme and host, optional port; no path) separated by commas.
      validationRegex: "^(|https?://[^\\s/,]+(\\s*,\\s*https?://[^\\s/,]+)*)$",
      validationErrorMessage:
        "Enter origins such as https://app.example.com,https://admin.example.com (no paths), " +
        "or nothing.",
    },
  },
});

/** Passbase's secret API key, for `GET /identities/{id}`. Empty: details are not fetched. */
export const apiKey = defineSecret("PASSBASE_SECRET_API_KEY", {
  description:
    "Passbase's secret API key, for the identity details and reconciliation. Leave it empty " +
    "to skip both.",
});

/**
 * The deploy prompt's check of an API's base URL: https, or plain http to a stand-in on this
 * machine (the local stack's); no query or fragment; with `path` "no path", the host alone.
 */
function apiUrlInput(example: string, path: "a path" | "no path") {
  const host = "(https://[^\\s/?#]+|http://(127\\.0\\.0\\.1|localhost)(:\\d+)?)";
  return {
    text: {
      validationRegex: `^${host}${path === "a path" ? "(/[^\\s?#]*)?" : "/?"}$`,
      validationErrorMessage: `Enter an https:// URL ${
        path === "a path" ? "without query or fragment" : "without a path"
      }, e.g. ${example}.`,
    },
  };
}

export const apiBaseUrl = defineString("PASSBASE_API_BASE_URL", {
  default: "https://api.passbase.com/verification/v1",
  description: "Base URL of Passbase's Verification API.",
  input: apiUrlInput("https://api.passbase.com/verification/v1", "a path"),
});

/**
 * Stripe Identity: the webhook endpoint's signing secret (whsec_...). Empty: POST /webhooks/stripe
 * answers 404.
 */
export const stripeWebhookSecret = defineSecret("STRIPE_WEBHOOK_SECRET", {
  description:
    "The signing secret (whsec_...) of the Stripe webhook endpoint .../widgets/webhooks/stripe. " +
    "Leave it empty if you do not use Stripe Identity.",
});

/** Stripe Identity: a restricted key that may create and read VerificationSessions. */
export const stripeSecretKey = defineSecret("STRIPE_SECRET_KEY", {
  description:
    "A Stripe restricted key (rk_...) with Identity Verification Sessions: write, for " +
    "startVerification and the sessions' confirmation. Leave it empty without Stripe Identity.",
});

export const stripeApiBaseUrl = defineString("STRIPE_API_BASE_URL", {
  default: "https://api.stripe.com",
  description: "Base URL of Stripe's API.",
  input: apiUrlInput("https://api.stripe.com", "no path"),
});

/**
 * Persona: the webhook's secret (wbhsec_...). While rotating, Persona signs with both secrets; the
 * new one goes here once the old one expires. Empty: POST /webhooks/persona answers 404.
 */
export const personaWebhookSecret = defineSecret("PERSONA_WEBHOOK_SECRET", {
  description:
    "The secret (wbhsec_...) of the Persona webhook .../widgets/webhooks/persona. Leave it " +
    "empty if you do not use Persona.",
});

/** Persona: an API key that may create, resume and read inquiries. */
export const personaApiKey = defineSecret("PERSONA_API_KEY", {
  description:
    "A Persona API key (persona_production_... or persona_sandbox_...) allowed to create, " +
    "resume and read inquiries. Leave it empty without Persona.",
});

export const personaTemplateId = defineString("PERSONA_TEMPLATE_ID", {
  default: "",
  description:
    "The inquiry template (itmpl_...) startVerification creates inquiries from. Empty: " +
    "startVerification refuses Persona.",
  input: {
    text: {
      validationRegex: "^(|i?tmpl_[A-Za-z0-9]{1,100})$",
      validationErrorMessage: "Enter a template id such as itmpl_abc123, or nothing.",
    },
  },
});

/** What Persona's `completed` means: see providers/persona/observe.ts. */
export const personaCompletedMeans = defineString("PERSONA_COMPLETED_MEANS", {
  default: "pending",
  description:
    "What a completed inquiry means: pending (a workflow or reviewer approves or declines " +
    "afterwards) or approved (templates without post-inquiry decisions).",
  input: { select: { options: [{ value: "pending" }, { value: "approved" }] } },
});

export const personaSignatureToleranceSeconds = defineInt("PERSONA_SIGNATURE_TOLERANCE_SECONDS", {
  default: 600,
  description:
    "How old a Persona-Signature's timestamp may be, in seconds. A retry refused as stale is " +
    "healed by the confirmation and reconciliation.",
  input: {
    text: {
      validationRegex: "^[1-9][0-9]{0,5}$",
      validationErrorMessage: "Enter a whole number of seconds, at least 1.",
    },
  },
});

export const personaApiBaseUrl = defineString("PERSONA_API_BASE_URL", {
  default: "https://api.withpersona.com/api/v1",
  description: "Base URL of Persona's API.",
  input: apiUrlInput("https://api.withpersona.com/api/v1", "a path"),
});

/** Personal data: off unless the operator decides to keep it. */
export const storeOwner = defineBoolean("PASSBASE_STORE_OWNER", {
  default: false,
  description: "Store the identity owner's name and e-mail with the verification's details.",
});

export const metadataUidField = defineString("PASSBASE_METADATA_UID_FIELD", {
  default: "uid",
  description: "The field of the identity's metadata that carries the app's user id, for linking.",
});

/** The region of every function, and so of the check queue. */
export const REGION = "us-central1";

/** The task queue function that looks verifications up in the provider's API. */
export const CHECK_FUNCTION = "checkVerification";
/** Attempts per task, the first included; the last one records its failure instead of failing. */
export const CHECK_MAX_ATTEMPTS = 5;

export const reconcileAfterMinutes = defineInt("RECONCILE_AFTER_MINUTES", {
  default: 60,
  description:
    "Reconciliation first looks at a verification still unresolved this many minutes after its " +
    "last change; each later wait doubles, up to a day.",
});

export const reconcileLimit = defineInt("RECONCILE_LIMIT", {
  default: 100,
  description: "At most this many verifications are queued for a check per reconciliation run.",
});

export const reconcileMaxChecks = defineInt("RECONCILE_MAX_CHECKS", {
  default: 18,
  description:
    "After this many checks a verification is given up (18: about 14 days with the defaults).",
});

/** Reconciliation's schedule, from the params above. */
export const checkSchedule = (): CheckSchedule => ({
  afterMinutes: reconcileAfterMinutes.value(),
  maxIntervalMinutes: 24 * 60,
  maxChecks: reconcileMaxChecks.value(),
});

export const checkRetryMinSeconds = defineInt("CHECK_RETRY_MIN_SECONDS", {
  default: 30,
  description:
    "The check queue's first wait before retrying a task whose API call failed transiently; " +
    "each later wait doubles, up to 10 minutes.",
});

export const checkMaxPerSecond = defineInt("CHECK_MAX_PER_SECOND", {
  default: 5,
  description: "The most API lookups the check queue starts per second (its Cloud Tasks rate).",
});

/**
 * The reconciliation schedule. onSchedule takes a plain string, not a param, so this is read
 * from the same functions/.env when the functions are loaded for deploy (firebase-tools puts
 * .env into process.env then), with the default below when it is unset.
 */
export const reconcileSchedule = process.env.RECONCILE_SCHEDULE ?? "every 60 minutes";
