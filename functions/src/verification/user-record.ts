import { isDeepStrictEqual } from "node:util";
import { expiredFrom, type ExpiryMode, type Facts } from "./facts";
import type { LinkedBy } from "./link";
import {
  compareStates,
  isDecision,
  type VerificationState,
  type VerificationStatus,
} from "./observation";
import { isUsableUid } from "./uid";

/**
 * What `users/{uid}.verification` holds: the user's latest decision, or, before any, their latest
 * attempt. A pending or expired attempt never replaces a decision.
 */
export interface UserVerification {
  key: string;
  status: VerificationStatus;
  /** The provider's time of the decision, in unix seconds; null without a decision. */
  reviewedAt: number | null;
  /** What the approval's verified values say, once derived (`factsAt` in ms). */
  facts?: UserFacts;
  /** With a document expiry, unless DOCUMENT_EXPIRY is `ignore`: whether it has passed. */
  documentExpired?: boolean;
}

/** Facts as the user's record holds them: `factsAt` in unix ms. */
export type UserFacts = Omit<Facts, "factsAt"> & { factsAt: number };

/** What the record needs to say whether a document has expired: the setting, and the time (ms). */
export interface ExpiryRule {
  mode: ExpiryMode;
  now: number;
}

/**
 * What `users/{uid}.attempt` holds: the user's latest attempt that is still open (pending) or that
 * ended without a decision (expired), when it is newer than the decision shown: so that an app
 * can say "re-verification in progress" or "your session expired".
 */
export interface UserAttempt {
  key: string;
  provider: string;
  status: VerificationStatus;
  /** The provider's time of the attempt's state, in unix seconds. */
  at: number;
}

/** A verification as the trigger sees it: its key, its link, its merge state. */
export interface LinkedVerification {
  key: string;
  uid: string | undefined;
  /** Who made the link; a metadata link is weaker than the user's own. */
  by: LinkedBy;
  /** The link and the identity's metadata name different users. */
  conflict: boolean;
  /** Its data was erased: it is no one's any more. */
  erased?: boolean;
  state: VerificationState | undefined;
  /** The facts derived for its current decision, if any. */
  facts?: UserFacts;
}

/** What the trigger should do for one verification; computed twice, before and inside a transaction. */
export type UserPlan =
  | {
      kind: "skip";
      reason: "not-linked" | "invalid-uid" | "no-status" | "superseded" | "erased";
    }
  | {
      kind: "write";
      uid: string;
      record: UserVerification;
      claim: boolean | undefined;
      /** The age claims with the claim (empty: none of this deployment's stand). */
      ageOver?: Record<string, boolean>;
    };

/** Whether a document valid until `expiresOn` has expired under `rule`; undefined: not said. */
const expiredUnder = (expiresOn: string | undefined, rule: ExpiryRule | undefined) =>
  expiresOn === undefined || rule === undefined || rule.mode === "ignore"
    ? undefined
    : rule.now >= expiredFrom(expiresOn);

/** The user record a verification's state calls for: an approval's facts with it. */
export function userVerificationOf(
  key: string,
  state: VerificationState,
  facts?: UserFacts,
  rule?: ExpiryRule,
): UserVerification {
  const record: UserVerification = {
    key,
    status: state.status,
    reviewedAt: isDecision(state.status) ? state.at : null,
  };
  if (state.status !== "approved" || facts === undefined) return record;
  record.facts = facts;
  const expired = expiredUnder(facts.documentExpiresOn, rule);
  if (expired !== undefined) record.documentExpired = expired;
  return record;
}

/**
 * When the record's document expires, for the scheduled run to find it by an indexed field:
 * undefined once flagged, without an expiry, or under DOCUMENT_EXPIRY=ignore.
 */
export function expiryDue(record: UserVerification | undefined): number | undefined {
  const expiresOn = record?.facts?.documentExpiresOn;
  if (expiresOn === undefined || record?.documentExpired !== false) return undefined;
  return expiredFrom(expiresOn);
}

/**
 * Orders two verifications of one user (someone may verify again after a decline): the one
 * the provider updated later is the user's current one; the merge order and the key break ties.
 */
export function compareVerifications(
  a: { key: string; state: VerificationState },
  b: { key: string; state: VerificationState },
): number {
  return (
    a.state.at - b.state.at ||
    compareStates(a.state, b.state) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * Decides what a linked verification means for its user's record. `held` is the verification the
 * record shows now, when it is another one, and `shown` the record itself. An attempt (pending or
 * expired) never displaces a decision; a decision displaces an attempt, and an older decision
 * never overwrites a newer one; one linked only through metadata never overwrites a decision from
 * one the user linked themself. The claim is true on approval, false on decline, and left alone
 * for an attempt, but for one that erased the decision before it (false). A link in conflict fails closed: the record shows it as pending and the claim
 * is false.
 */
export function planUserRecord(
  verification: LinkedVerification,
  held: LinkedVerification | undefined,
  shown?: UserVerification,
  rule?: ExpiryRule,
): UserPlan {
  const { key, uid, state } = verification;
  if (verification.erased) return { kind: "skip", reason: "erased" };
  if (!uid) return { kind: "skip", reason: "not-linked" };
  // Data written before uids were checked: acknowledged, never retried.
  if (!isUsableUid(uid)) return { kind: "skip", reason: "invalid-uid" };
  if (!state) return { kind: "skip", reason: "no-status" };
  const attempt = !isDecision(state.status) && !verification.conflict;
  // The record shows this verification's own earlier decision: an attempt in it (a retry in the
  // same session) leaves the decision shown, unless the provider erased that decision.
  if (attempt && !state.erasesDecision && shown?.key === key && isDecision(shown.status)) {
    return { kind: "skip", reason: "superseded" };
  }
  if (held && held.key !== key && held.uid === uid && held.state) {
    // A weak link (only metadata, or in conflict) never displaces a decision the user owns.
    const weak = verification.by === "metadata" || verification.conflict;
    const heldDecision = isDecision(held.state.status) && !held.conflict;
    if (weak && heldDecision && held.by === "user") return { kind: "skip", reason: "superseded" };
    if (attempt && heldDecision) return { kind: "skip", reason: "superseded" };
    const displacesAttempt = isDecision(state.status) && !heldDecision;
    if (
      !displacesAttempt &&
      compareVerifications({ key: held.key, state: held.state }, { key, state }) > 0
    ) {
      return { kind: "skip", reason: "superseded" };
    }
  }
  if (verification.conflict) {
    return {
      kind: "write",
      uid,
      record: { key, status: "pending", reviewedAt: null },
      claim: false,
      ageOver: {},
    };
  }
  const record = userVerificationOf(key, state, verification.facts, rule);
  // An erased decision withdraws its claim (fail closed); any other attempt leaves it alone.
  // DOCUMENT_EXPIRY=revoke withdraws an approval's claims once its document has expired.
  const revoked = record.documentExpired === true && rule?.mode === "revoke";
  const claim = isDecision(state.status)
    ? state.status === "approved" && !revoked
    : state.erasesDecision
      ? false
      : undefined;
  if (claim === undefined) return { kind: "write", uid, record, claim };
  const ageOver = claim ? (record.facts?.ageOver ?? {}) : {};
  return { kind: "write", uid, record, claim, ageOver };
}

/**
 * What `users/{uid}.attempt` should hold after this verification's change: the verification
 * itself when it is an attempt newer than the attempt shown and than the decision shown
 * (`decidedAt`); nothing (null) once the attempt shown is decided or older than a decision; or
 * undefined: leave it as it is (also when it already shows this). A weak link or one in conflict
 * never shows as the user's attempt.
 */
export function planAttempt(
  verification: LinkedVerification,
  current: UserAttempt | undefined,
  decidedAt: number | undefined,
): UserAttempt | null | undefined {
  const { key, uid, state } = verification;
  if (!uid || !isUsableUid(uid) || !state) return undefined;
  if (isDecision(state.status)) {
    const stale = current && (current.key === key || current.at <= state.at);
    return stale ? null : undefined;
  }
  if (verification.by === "metadata" || verification.conflict) return undefined;
  if (decidedAt !== undefined && decidedAt > state.at) return undefined;
  if (
    current &&
    current.key !== key &&
    (current.at > state.at || (current.key > key && current.at === state.at))
  ) {
    return undefined;
  }
  const next = { key, provider: state.provider, status: state.status, at: state.at };
  return isDeepStrictEqual(next, current) ? undefined : next;
}
