import type { VerificationState, VerificationStatus } from "../../verification/observation";
import { conservativeRank, stageRank } from "../contract";
import { onfido } from "./provider";

/**
 * What a run's status means. `abandoned` and `error` ended without a decision: expired, and the
 * user may start again. A status this version does not know (the library's `11184809`
 * included) means nothing (undefined) and moves no state.
 */
export function neutralStatus(status: string): VerificationStatus | undefined {
  switch (status) {
    case "approved":
      return "approved";
    case "declined":
      return "declined";
    case "abandoned":
    case "error":
      return "expired";
    case "processing":
    case "awaiting_input":
    case "awaiting_client_input":
    case "review":
      return "pending";
    default:
      return undefined;
  }
}

export const canRetry = (status: string) => status === "abandoned" || status === "error";

const rank: Record<VerificationStatus, number> = {
  pending: 1,
  expired: 2,
  approved: 3,
  declined: 3,
};

/**
 * Onfido's order, the facts' `(rank, time, tie-break)`: in progress < ended without a decision <
 * decided, whatever the clock, so that neither an end nor progress ever replaces a decision;
 * then Onfido's time (ms; none sorts first); then the lifecycle's stage and the conservative
 * status (declined over approved, error over abandoned, review over processing…).
 */
export function onfidoOrder(status: string, atMs: number): number[] {
  const neutral = neutralStatus(status) ?? "pending";
  return [rank[neutral], atMs, stageRank(onfido.lifecycle, status), conservativeRank[neutral]];
}

/** A run's status as the merge compares it; undefined for one this version does not know. */
export function onfidoState(
  status: string,
  atMs: number,
  eventId: string,
): VerificationState | undefined {
  const neutral = neutralStatus(status);
  if (neutral === undefined) return undefined;
  return {
    provider: "onfido",
    status: neutral,
    providerStatus: status,
    at: Math.floor(atMs / 1000),
    order: onfidoOrder(status, atMs),
    eventId,
  };
}
