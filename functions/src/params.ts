import { defineInt, defineString } from "firebase-functions/params";
import type { CheckSchedule } from "./background/plan";
import { DEFAULT_NAMES, type StoreNames } from "./store/names";
import { BROWSER_URL_SHAPE } from "./providers/browser-url";

export { returnUrlOf } from "./providers/browser-url";

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

export const verificationReturnUrl = defineString("VERIFICATION_RETURN_URL", {
  default: "",
  description:
    "Where a provider's page sends the user back when its flow ends (https, or http to " +
    "localhost): passed to each provider with a field for it (docs/providers.md). Empty: none.",
  input: {
    text: {
      validationRegex: `^(|${BROWSER_URL_SHAPE})$`,
      validationErrorMessage: "Enter an https URL (http only to localhost), or nothing.",
    },
  },
});

export const appCheck = defineString("APP_CHECK", {
  default: "off",
  description:
    "enforce: startVerification and linkVerification refuse calls without a valid App Check " +
    "token, and startVerification consumes each token once (a start costs money). off: they " +
    "take calls without one.",
  input: {
    select: { options: [{ value: "off" }, { value: "enforce" }] },
  },
});

export const ageThresholds = defineString("AGE_THRESHOLDS", {
  default: "",
  description:
    "Ages (1 to 99, comma-separated, e.g. 18,21) for which an approval yields age_over_NN: a " +
    "fact on the user's record and a custom claim, true or false, only where the verified date " +
    "of birth makes it certain. Empty: none.",
  input: {
    text: {
      validationRegex: "^(|\\s*[1-9][0-9]?\\s*(,\\s*[1-9][0-9]?\\s*)*)$",
      validationErrorMessage:
        "Enter ages from 1 to 99 separated by commas, such as 18,21, or nothing.",
    },
  },
});

export const documentExpiry = defineString("DOCUMENT_EXPIRY", {
  default: "flag",
  description:
    "What happens once an approved document's expiry date has passed. flag: the user's record " +
    "says documentExpired (the claim stays). revoke: that, and the claims are withdrawn as for a " +
    "decline. ignore: nothing.",
  input: {
    select: { options: [{ value: "flag" }, { value: "revoke" }, { value: "ignore" }] },
  },
});

/** Thrown while the functions load: APP_CHECK is neither `off` nor `enforce`. */
export class AppCheckSettingError extends Error {}

/**
 * Whether App Check is enforced. The callables' options are read when the functions load, so this
 * reads APP_CHECK from the environment then (firebase-tools puts functions/.env there, at deploy
 * and at runtime), as RECONCILE_SCHEDULE is read; a param expression would be evaluated at load
 * too, with a warning on every load. Unset or empty is the param's default, `off`; any other word
 * than the two stops the load (fail closed: `Enforce` or `true` must not silently mean off).
 */
export function appCheckEnforced(raw = process.env.APP_CHECK): boolean {
  const value = (raw ?? "").trim();
  if (value === "enforce") return true;
  if (value === "off" || value === "") return false;
  throw new AppCheckSettingError(
    `APP_CHECK is "${value}": write APP_CHECK=enforce or APP_CHECK=off in functions/.env.`,
  );
}

/** The region of every function, and so of the check queue. */
export const REGION = "us-central1";

/**
 * The function kit instance these functions are (`FIREBASE_KIT_INSTANCE_ID`, set by the Firebase
 * CLI when it loads a kit's instance, in the emulator and when deployed), or undefined for the
 * standalone project.
 */
export const kitInstance = (env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env.FIREBASE_KIT_INSTANCE_ID?.trim() || undefined;

/**
 * A function's deployed name: `kit-<instance>-<name>` inside a kit. firebase-admin 13 knows
 * nothing of kits, so the check queue is addressed by this name (firebase-admin 14.2 would add the
 * prefix itself: drop this when upgrading).
 */
export const deployedName = (name: string, instance = kitInstance()) =>
  instance === undefined ? name : `kit-${instance}-${name}`;

/**
 * The region the functions run in: inside a kit, the instance's FUNCTION_DEFAULT_REGION (the
 * param the CLI's kit wrapper sets its global options from), else REGION.
 */
export const deployedRegion = (env: NodeJS.ProcessEnv = process.env) =>
  (kitInstance(env) && env.FUNCTION_DEFAULT_REGION?.trim()) || REGION;

export const verificationsCollection = defineString("VERIFICATIONS_COLLECTION", {
  default: DEFAULT_NAMES.verifications,
  description:
    "The Firestore collection of this instance's verifications (two instances in one project " +
    "need two). Read when the functions load; the Firestore trigger watches it.",
});

export const usersCollection = defineString("USERS_COLLECTION", {
  default: DEFAULT_NAMES.users,
  description:
    "The Firestore collection of your users' records (users, profiles, accounts…): this " +
    "instance writes `verification` and `attempt` there and nothing else.",
});

export const verifiedClaim = defineString("VERIFIED_CLAIM", {
  default: DEFAULT_NAMES.claim,
  description:
    "The custom claim this instance sets on a user's ID token (true once approved). It never " +
    "touches another claim.",
});

/** Thrown while the functions load: a collection or claim name that cannot be used. */
export class StoreNamesError extends Error {}

/** Claims Firebase reserves on ID tokens. */
const RESERVED_CLAIMS = new Set(
  "acr amr at_hash aud auth_time azp cnf c_hash exp firebase iat iss jti nbf nonce sub".split(" "),
);
const COLLECTION_ID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * Where this deployment keeps its data, from VERIFICATIONS_COLLECTION, USERS_COLLECTION and
 * VERIFIED_CLAIM in the environment (firebase-tools puts each instance's .env there, at deploy and
 * at runtime), read when the functions load: the Firestore trigger's path is fixed then. A name
 * that cannot be used stops the load (fail closed), saying which.
 */
export function storeNamesOf(env: NodeJS.ProcessEnv = process.env): StoreNames {
  const read = (name: string, fallback: string) => env[name]?.trim() || fallback;
  const verifications = read("VERIFICATIONS_COLLECTION", DEFAULT_NAMES.verifications);
  const users = read("USERS_COLLECTION", DEFAULT_NAMES.users);
  const claim = read("VERIFIED_CLAIM", DEFAULT_NAMES.claim);
  for (const [param, value] of [
    ["VERIFICATIONS_COLLECTION", verifications],
    ["USERS_COLLECTION", users],
  ] as const) {
    if (!COLLECTION_ID.test(value) || /^__.*__$/.test(value)) {
      throw new StoreNamesError(
        `${param} is "${value}": use 1 to 100 letters, digits, _ or - (a top-level collection).`,
      );
    }
  }
  if (verifications === users) {
    throw new StoreNamesError("VERIFICATIONS_COLLECTION and USERS_COLLECTION must differ.");
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(claim) || RESERVED_CLAIMS.has(claim)) {
    throw new StoreNamesError(
      `VERIFIED_CLAIM is "${claim}": use a name of letters, digits and _ that Firebase does not reserve.`,
    );
  }
  const starts =
    verifications === DEFAULT_NAMES.verifications
      ? DEFAULT_NAMES.starts
      : `${verifications}_starts`;
  return { verifications, users, starts, claim };
}

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

export const checkMaxConcurrent = defineInt("CHECK_MAX_CONCURRENT", {
  default: 10,
  description:
    "The most API lookups the check queue runs at once (its Cloud Tasks maxConcurrentDispatches).",
  input: {
    text: {
      validationRegex: "^[1-9][0-9]{0,3}$",
      validationErrorMessage: "Enter a whole number from 1 to 5000.",
    },
  },
});

/**
 * The reconciliation schedule. onSchedule takes a plain string, not a param, so this is read
 * from the same functions/.env when the functions are loaded for deploy (firebase-tools puts
 * .env into process.env then), with the default below when it is unset.
 */
export const reconcileSchedule = process.env.RECONCILE_SCHEDULE ?? "every 60 minutes";
