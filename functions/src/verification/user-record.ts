import type { LinkedBy } from "./link";
import { compareStates, type VerificationState, type VerificationStatus } from "./observation";
import { isUsableUid } from "./uid";

/** What `users/{uid}.verification` holds: the outcome the app shows its user. */
export interface UserVerification {
  key: string;
  status: VerificationStatus;
  /** The provider's time of the decision, in unix seconds; null while pending. */
  reviewedAt: number | null;
}

/** A verification as the trigger sees it: its key, its link, its merge state. */
export interface LinkedVerification {
  key: string;
  uid: string | undefined;
  /** Who made the link; a metadata link is weaker than the user's own. */
  by: LinkedBy;
  /** The link and the identity's metadata name different users. */
  conflict: boolean;
  state: VerificationState | undefined;
}

/** What the trigger should do for one verification; computed twice, before and inside a transaction. */
export type UserPlan =
  | { kind: "skip"; reason: "not-linked" | "invalid-uid" | "no-status" | "superseded" }
  | { kind: "write"; uid: string; record: UserVerification; claim: boolean | undefined };

/** The user record a verification's state calls for. */
export function userVerificationOf(key: string, state: VerificationState): UserVerification {
  return {
    key,
    status: state.status,
    reviewedAt: state.status === "pending" ? null : state.at,
  };
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
 * Decides what a linked verification means for its user. `held` is the verification the user
 * record shows now, when it is another one, so that an older verification never overwrites a
 * newer one, and one linked only through metadata never overwrites a decision from one the user
 * linked themself. The claim is true on approval, false on decline, and left alone while pending.
 * A link in conflict fails closed: the record shows it as pending and the claim is false.
 */
export function planUserRecord(
  verification: LinkedVerification,
  held: LinkedVerification | undefined,
): UserPlan {
  const { key, uid, state } = verification;
  if (!uid) return { kind: "skip", reason: "not-linked" };
  // Data written before uids were checked: acknowledged, never retried.
  if (!isUsableUid(uid)) return { kind: "skip", reason: "invalid-uid" };
  if (!state) return { kind: "skip", reason: "no-status" };
  if (held && held.key !== key && held.uid === uid && held.state) {
    // A weak link (only metadata, or in conflict) never displaces a decision the user owns.
    const weak = verification.by === "metadata" || verification.conflict;
    const heldDecision = held.by === "user" && !held.conflict && held.state.status !== "pending";
    if (weak && heldDecision) return { kind: "skip", reason: "superseded" };
    if (compareVerifications({ key: held.key, state: held.state }, { key, state }) > 0) {
      return { kind: "skip", reason: "superseded" };
    }
  }
  if (verification.conflict) {
    return {
      kind: "write",
      uid,
      record: { key, status: "pending", reviewedAt: null },
      claim: false,
    };
  }
  const claim = state.status === "pending" ? undefined : state.status === "approved";
  return { kind: "write", uid, record: userVerificationOf(key, state), claim };
}
