/**
 * The neutral statuses every provider's words are mapped to: a decision (approved, declined), an
 * attempt still open (pending), or an attempt that ended without a decision (expired: abandoned,
 * canceled, timed out). Whether the user may try again in the same verification is `canRetry`,
 * beside the status on the verification.
 */
export const verificationStatuses = ["pending", "approved", "declined", "expired"] as const;
export type VerificationStatus = (typeof verificationStatuses)[number];

/** A decision: the verification was approved or declined, not merely attempted. */
export const isDecision = (status: unknown): status is "approved" | "declined" =>
  status === "approved" || status === "declined";

/**
 * One provider's word on a verification's state, and what `verifications/{id}` shows: the
 * greatest such observation seen so far.
 */
export interface VerificationState {
  /** The provider's registry id. */
  provider: string;
  status: VerificationStatus;
  /** The provider's own word for the status. */
  providerStatus: string;
  /** The provider's time of this status, in unix seconds (a decision's: when it was made). */
  at: number;
  /**
   * The provider's total order over its observations, compared element by element: its clock,
   * then its tie-breaks. Providers choose it so that a tie means the same content.
   */
  order: readonly number[];
  /** The observation's audit entry (`events/{eventId}`), and the last tie-break. */
  eventId: string;
  /**
   * The provider erased the verification's earlier decision (a reset): this attempt replaces the
   * decision its user was shown, and the claim is withdrawn.
   */
  erasesDecision?: true;
}

/** Orders two observations: by the provider's order, then by event id. */
export function compareStates(
  a: Pick<VerificationState, "order" | "eventId">,
  b: Pick<VerificationState, "order" | "eventId">,
): number {
  for (let i = 0; i < Math.max(a.order.length, b.order.length); i++) {
    const difference = (a.order[i] ?? 0) - (b.order[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/**
 * Merges one more observation into the current state: the greater of the two wins. Being a
 * maximum, the result is the same for any order and any number of repeats of the same
 * observations. Returns `current` itself when the observation changes nothing.
 */
export function mergeState(
  current: VerificationState | undefined,
  incoming: VerificationState,
): VerificationState {
  return current && compareStates(incoming, current) <= 0 ? current : incoming;
}
