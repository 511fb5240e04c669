/** The neutral statuses every provider's words are mapped to. */
export const verificationStatuses = ["pending", "approved", "declined"] as const;
export type VerificationStatus = (typeof verificationStatuses)[number];

/** The identity-verification providers this backend knows; each has a folder in providers/. */
export const providers = ["passbase", "stripe", "persona"] as const;
export type Provider = (typeof providers)[number];

/**
 * One provider's word on a verification's state, and what `verifications/{id}` shows: the
 * greatest such observation seen so far.
 */
export interface VerificationState {
  provider: Provider;
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
