import { performance } from "node:perf_hooks";
import type { ApiFailure } from "./providers/api-request";
import type { SyncOutcome } from "./store/users";
import type { ApplyOutcome } from "./store/verification-store";
import type { LinkedBy, LinkOutcome } from "./verification/link";

/** What the erasure lines say of a failed call to the provider. */
interface ErasureFields {
  key: string;
  provider: string;
  failure: string;
  status: number | null;
  attempts: number;
}

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
 * a body, a whole key, a uid, or anything the provider knows about the person.
 */
/**
 * An error's message for the logs, without any whole key: the key it concerns (when known) is cut
 * to its ref, and so is every id after a collection name in a document path (Firestore's errors
 * name the document).
 */
export function errorText(error: unknown, key?: string): string {
  let text = error instanceof Error ? error.message : String(error);
  if (key) text = text.split(key).join(`${keyRef(key)}…`);
  return text.replace(
    /\b(verifications|users|verificationStarts|events|linkConflicts)\/([^\s/"'`,)]+)/g,
    (_whole, collection: string, id: string) =>
      `${collection}/${id.length > 8 ? `${keyRef(id)}…` : id}`,
  );
}

export function createLogs(logger: Logger) {
  return {
    /** `label` is the provider's word for its route (its descriptor's `logLabel`). */
    webhookAccepted(
      label: string,
      fields: {
        key: string;
        event: string;
        outcome: ApplyOutcome | "ignored";
        ms: number;
        keyIndex?: number;
      },
    ) {
      if (fields.outcome === "foreign") {
        logger.warn(
          `${label} names a verification stored for another provider; acknowledged, not stored`,
          named(fields),
        );
        return;
      }
      // The type is the sender's word: cut to a length that any genuine one fits in.
      logger.info(`${label} accepted`, named({ ...fields, event: fields.event.slice(0, 64) }));
    },
    webhookRejected(
      label: string,
      fields: { reason: string; issues?: string[]; bytes: number; ms: number },
    ) {
      logger.warn(`${label} rejected`, { outcome: "rejected", ...fields });
    },
    webhookNotStored(
      label: string,
      providerName: string,
      fields: { key: string; event: string; ms: number; error: unknown },
    ) {
      const { error, ...rest } = named(fields);
      logger.error(`${label} not stored; answered 503 so that ${providerName} retries`, {
        outcome: "storage-error",
        ...rest,
        error: errorText(error, fields.key),
      });
    },
    webhookOff(path: string, hint: string) {
      logger.warn(`POST ${path} answers 404: ${hint}`, { outcome: "disabled" });
    },
    webhookMisconfigured(path: string, problem: string) {
      logger.error(`POST ${path} answers 500: ${problem}`, { outcome: "misconfigured" });
    },
    olderSecretUsed(fields: { key: string; secret: number; label: string }) {
      const { label, secret, ...rest } = fields;
      logger.warn(`${label} authenticated with an older secret; finish the rotation`, {
        ...named(rest),
        keyIndex: secret,
      });
    },
    failed(error: unknown) {
      logger.error("webhook handler failed", { outcome: "error", error: errorText(error) });
    },
    linked(fields: { key: string; outcome: LinkOutcome | "foreign" | "erased" | "lease-lost" }) {
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
    /** `facts`: the names of the facts derived, never their values. */
    detailsStored(fields: {
      key: string;
      attempts: number;
      linkedFromMetadata: string;
      facts: string[];
    }) {
      logger.info("identity details stored", named(fields));
    },
    detailsSkipped(fields: { key: string; reason: string }) {
      logger.info("identity details skipped", named(fields));
    },
    detailsQueued(fields: { key: string; outcome: "queued" | "exists" }) {
      logger.info("identity details queued", named(fields));
    },
    apiUnavailable(fields: {
      key: string;
      provider: string;
      status: number | null;
      attempts: number;
    }) {
      logger.warn("provider API unavailable; the check queue retries the task", named(fields));
    },
    /** `keyParams`: the secrets to check when the provider refused the key. */
    apiFailed(
      provider: { name: string; keyParams: string },
      fields: { key: string; failure: ApiFailure; status: number | null; attempts?: number },
    ) {
      if (fields.failure === "unauthorized") {
        logger.error(
          `${provider.name} refused the API key: check ${provider.keyParams}`,
          named(fields),
        );
        return;
      }
      logger.warn(`${provider.name}'s API call failed`, named(fields));
    },
    factsRefreshed(fields: { key: string; facts: string[] }) {
      logger.info("verification facts derived again", named(fields));
    },
    /** The provider's key may not read the verified values: the decision stands, without facts. */
    factsWithheld(
      provider: { id: string; name: string },
      fields: { key: string; missing: string },
    ) {
      logger.warn(
        `${provider.name} withholds the verified values the facts are derived from: ${fields.missing}`,
        named({ ...fields, provider: provider.id }),
      );
    },
    /** AGE_THRESHOLDS (no age facts are derived) or DOCUMENT_EXPIRY (read as `revoke`). */
    factsMisconfigured(fields: { problem: string }) {
      logger.error("a facts setting is invalid: fix it in functions/.env", fields);
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
    reconciled(summary: { selected: number; queued: number; givenUp: number; unlinked: number }) {
      logger.info("reconciliation finished", summary);
    },
    documentsExpired(summary: { selected: number; flagged: number }) {
      logger.info("expired documents flagged", summary);
    },
    reconcileSkipped(fields: { reason: string }) {
      logger.info("reconciliation skipped", fields);
    },
    started(fields: { key: string; outcome: "created" | "resumed" }) {
      logger.info("verification started", named(fields));
    },
    startMisconfigured(fields: { problem: string }) {
      logger.error("startVerification refused: fix its configuration", fields);
    },
    /** The one line that names a user by uid: the start of their erasure, for an operator. */
    erasureStarted(fields: { uid: string; reason: string }) {
      logger.info("verification data erasure started", fields);
    },
    erasureQueued(fields: { key: string; provider: string; outcome: "queued" | "exists" }) {
      logger.info("verification erased here; the provider's erasure is queued", named(fields));
    },
    userErased(fields: { reason: string; verifications: number }) {
      logger.info("verification data erasure queued", fields);
    },
    erasureDone(fields: {
      key: string;
      provider: string;
      outcome: string;
      stillHeld: string | undefined;
      attempts: number;
    }) {
      const { stillHeld, ...rest } = named(fields);
      if (stillHeld === undefined) {
        logger.info("verification data erased at the provider", rest);
        return;
      }
      logger.warn(
        "verification data erased here; the provider still holds some: see docs/operations.md",
        { ...rest, stillHeld },
      );
    },
    erasureRetried(fields: ErasureFields) {
      logger.warn(
        "provider's erasure call unavailable; the check queue retries the task",
        named(fields),
      );
    },
    erasureWaiting(fields: ErasureFields) {
      logger.warn(
        "provider's erasure call still unavailable; reconciliation tries again later",
        named(fields),
      );
    },
    erasureFailed(
      provider: { name: string },
      fields: ErasureFields & { detail: string; code: string | undefined },
    ) {
      const { code, ...rest } = named(fields);
      logger.error(
        `${provider.name} refused to erase a verification's data; erase it there by hand`,
        code === undefined ? rest : { ...rest, code },
      );
    },
    erasureUnnamed() {
      logger.error("a deleted user's event names no usable uid; nothing was erased", {});
    },
    erasureGivenUp(fields: { key: string; checks: number }) {
      logger.error(
        "reconciliation gave up on erasing a verification's data at its provider; erase it there by hand",
        named(fields),
      );
    },
  };
}

export type Logs = ReturnType<typeof createLogs>;
