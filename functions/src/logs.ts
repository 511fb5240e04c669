import { performance } from "node:perf_hooks";
import type { ApiFailure } from "./providers/passbase/api-client";
import type { RejectReason } from "./providers/passbase/delivery";
import type { PersonaRejectReason } from "./providers/persona/delivery";
import type { StripeRejectReason } from "./providers/stripe/delivery";
import type { SyncOutcome } from "./store/users";
import type { ApplyOutcome } from "./store/verification-store";
import type { LinkedBy, LinkOutcome } from "./verification/link";

/** The providers whose webhooks are signed, each on its own route, /webhooks/<provider>. */
export type SignedProvider = "stripe" | "persona";
export type SignedRejectReason = StripeRejectReason | PersonaRejectReason | "unreadable";

const signed: Record<
  SignedProvider,
  { name: string; secretParam: string; secretHint: string; keyParam: string }
> = {
  stripe: {
    name: "Stripe",
    secretParam: "STRIPE_WEBHOOK_SECRET",
    secretHint:
      "Set it to the endpoint's signing secret (whsec_...) to receive Stripe Identity events.",
    keyParam: "STRIPE_SECRET_KEY",
  },
  persona: {
    name: "Persona",
    secretParam: "PERSONA_WEBHOOK_SECRET",
    secretHint: "Set it to the webhook's secret (wbhsec_...) to receive Persona's inquiry events.",
    keyParam: "PERSONA_API_KEY",
  },
};

/** Starts timing; the returned function gives the milliseconds since, to two decimals. */
export function stopwatch(): () => number {
  const started = performance.now();
  return () => Math.round((performance.now() - started) * 100) / 100;
}

/**
 * How the logs name a verification: the first 8 characters of its key. Enough for an operator to
 * find it (a range query on the document id), too little to use it: the whole key is what
 * `linkVerification` takes, so anyone who can read the logs could otherwise claim it.
 */
export function keyRef(key: string): string {
  return key.slice(0, 8);
}

/** Swaps a `key` field for its `ref`. */
function named<T extends { key: string }>({ key, ...rest }: T) {
  return { ref: keyRef(key), ...rest };
}

/** The slice of `firebase-functions/logger` this code uses: a message plus one object of fields. */
export interface Logger {
  info(message: string, fields: object): void;
  warn(message: string, fields: object): void;
  error(message: string, fields: object): void;
}

/**
 * Every log line the functions write, in one place, so that what reaches Cloud Logging can be
 * read at a glance. Fields are key references, event types, codes and timings: never the secret,
 * a body, a whole key, a uid, or anything Passbase knows about the person.
 */
export function createLogs(logger: Logger) {
  return {
    accepted(fields: {
      key: string;
      event: string;
      outcome: ApplyOutcome;
      ms: number;
      keyIndex: number | undefined;
    }) {
      logger.info("webhook accepted", named(fields));
    },
    rejected(fields: { reason: RejectReason; issues?: string[]; bytes: number; ms: number }) {
      logger.warn("webhook rejected", { outcome: "rejected", ...fields });
    },
    notStored(fields: { key: string; event: string; ms: number; error: unknown }) {
      const { error, ...rest } = named(fields);
      logger.error("webhook not stored; answered 503 so that Passbase retries", {
        outcome: "storage-error",
        ...rest,
        error: error instanceof Error ? error.message : String(error),
      });
    },
    misconfigured(problem: string) {
      logger.error(
        `PASSBASE_WEBHOOK_SECRET is misconfigured: ${problem}. Refusing all webhooks until it is fixed.`,
        { outcome: "misconfigured" },
      );
    },
    failed(error: unknown) {
      logger.error("webhook handler failed", {
        outcome: "error",
        error: error instanceof Error ? error.message : String(error),
      });
    },
    linked(fields: { key: string; outcome: LinkOutcome }) {
      logger.info("verification link", named(fields));
    },
    linkConflict(fields: { key: string; source: LinkedBy }) {
      logger.warn(
        "verification link conflict: the user's link and the identity's metadata name different " +
          "users; its claim is withheld until an operator resolves it",
        named(fields),
      );
    },
    metadataUidIgnored(fields: { key: string; reason: "invalid" | "no-such-user" }) {
      logger.warn("the identity's metadata names no usable user; not linked", named(fields));
    },
    userSynced(fields: { key: string; outcome: SyncOutcome; ms: number }) {
      if (fields.outcome === "invalid-uid") {
        logger.warn(
          "verification linked to a value that is no user id; the user was not updated",
          named(fields),
        );
        return;
      }
      logger.info("user verification synced", named(fields));
    },
    statusRead(fields: { outcome: "ok" | "unauthenticated"; ms: number }) {
      logger.info("verification status read", fields);
    },
    detailsStored(fields: { key: string; attempts: number; linkedFromMetadata: string }) {
      logger.info("identity details stored", named(fields));
    },
    detailsFailed(fields: {
      key: string;
      failure: ApiFailure;
      status: number | null;
      attempts: number;
    }) {
      if (fields.failure === "unauthorized") {
        logger.error(
          "Passbase API refused the API key: check PASSBASE_SECRET_API_KEY (the secret API key from the Passbase dashboard)",
          named(fields),
        );
        return;
      }
      logger.warn("identity not fetched from Passbase's API", named(fields));
    },
    detailsSkipped(fields: { key: string; reason: string }) {
      logger.info("identity details skipped", named(fields));
    },
    detailsQueued(fields: { key: string; outcome: "queued" | "exists" }) {
      logger.info("identity details queued", named(fields));
    },
    apiUnavailable(fields: { key: string; status: number | null; attempts: number }) {
      logger.warn("Passbase API unavailable; the check queue retries the task", named(fields));
    },
    taskIgnored(fields: { queue: string }) {
      logger.warn("check task ignored: its data is not a verification key", fields);
    },
    givenUp(fields: { key: string; checks: number }) {
      logger.warn(
        "reconciliation gave up on a verification it could not resolve; a webhook restarts it",
        named(fields),
      );
    },
    reconciled(summary: { selected: number; queued: number; givenUp: number }) {
      logger.info("reconciliation finished", summary);
    },
    signedAccepted(
      provider: SignedProvider,
      fields: { key: string; event: string; outcome: ApplyOutcome | "ignored"; ms: number },
    ) {
      logger.info(`${provider} webhook accepted`, named(fields));
    },
    signedRejected(
      provider: SignedProvider,
      fields: { reason: SignedRejectReason; issues?: string[]; bytes: number; ms: number },
    ) {
      logger.warn(`${provider} webhook rejected`, { outcome: "rejected", ...fields });
    },
    signedNotStored(
      provider: SignedProvider,
      fields: { key: string; event: string; ms: number; error: unknown },
    ) {
      const { error, ...rest } = named(fields);
      logger.error(
        `${provider} webhook not stored; answered 503 so that ${signed[provider].name} retries`,
        {
          outcome: "storage-error",
          ...rest,
          error: error instanceof Error ? error.message : String(error),
        },
      );
    },
    started(fields: { key: string; outcome: "created" | "resumed" }) {
      logger.info("verification started", named(fields));
    },
    providerApiFailed(
      provider: SignedProvider,
      fields: { key: string; failure: string; status: number | null },
    ) {
      const { name, keyParam } = signed[provider];
      if (fields.failure === "unauthorized") {
        logger.error(`${name} refused the API key: check ${keyParam}`, named(fields));
        return;
      }
      logger.warn(`${name}'s API call failed`, named(fields));
    },
    signedDisabled(provider: SignedProvider) {
      const { secretParam, secretHint } = signed[provider];
      logger.warn(
        `POST /webhooks/${provider} answers 404: ${secretParam} is not set. ${secretHint}`,
        { outcome: "disabled" },
      );
    },
    signedMisconfigured(provider: SignedProvider, problem: string) {
      logger.error(`POST /webhooks/${provider} answers 500: ${problem}`, {
        outcome: "misconfigured",
      });
    },
    olderKeyUsed(fields: { key: string; keyIndex: number }) {
      logger.warn("webhook decrypted with an older key of PASSBASE_WEBHOOK_SECRET", named(fields));
    },
  };
}

export type Logs = ReturnType<typeof createLogs>;
