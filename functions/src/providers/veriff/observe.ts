import type { VerificationState, VerificationStatus } from "../../verification/observation";
import { conservativeRank, stageRank } from "../contract";
import { veriff } from "./provider";

/** The stages this version knows: Veriff's session statuses. */
export const veriffStages = veriff.lifecycle.flat();

/**
 * What a session's status means. `resubmission_requested` is declined, though not for good: the
 * user redoes the flow in the same session (`canRetry`), and the next decision wins. `expired`
 * and `abandoned` ended without a decision (a new session is needed); a status this version does
 * not know means nothing (undefined) and moves no state.
 */
export function neutralStatus(stage: string): VerificationStatus | undefined {
  switch (stage) {
    case "approved":
      return "approved";
    case "declined":
    case "resubmission_requested":
      return "declined";
    case "expired":
    case "abandoned":
      return "expired";
    case "created":
    case "started":
    case "submitted":
    case "review":
      return "pending";
    default:
      return undefined;
  }
}

/** Whether the user may go on: in the same session after a resubmission request, else anew. */
export const canRetry = (stage: string) =>
  stage === "resubmission_requested" || stage === "expired" || stage === "abandoned";

/** Progress, then an end without a decision, then a decision (or a review). */
const classOf = (stage: string) =>
  ["created", "started", "submitted"].includes(stage)
    ? 0
    : stage === "expired" || stage === "abandoned"
      ? 1
      : 2;

/**
 * Veriff's order: progress < expired or abandoned < a decision, whatever the clock (event
 * webhooks carry no time, so an end or a decision always wins over them, and `expired` never
 * replaces a decision); then `decisionTime` (ms; none sorts first); then the lifecycle's stage;
 * then the conservative status.
 */
export const veriffOrder = (stage: string, decisionTimeMs: number | null) => {
  const status = neutralStatus(stage) ?? "pending";
  return [
    classOf(stage),
    decisionTimeMs ?? 0,
    stageRank(veriff.lifecycle, stage),
    conservativeRank[status],
  ];
};

/**
 * Veriff's word on a session as the merge compares it; undefined for a status it does not know.
 * An event webhook states no time: its `at` (what the user's record shows an attempt at) is when
 * it was received, `receivedAtMs`; the merge's order never uses that time.
 */
export function veriffState(
  stage: string,
  decisionTimeMs: number | null,
  eventId: string,
  receivedAtMs?: number | null,
): VerificationState | undefined {
  const status = neutralStatus(stage);
  if (status === undefined) return undefined;
  return {
    provider: "veriff",
    status,
    providerStatus: stage,
    at: Math.floor((decisionTimeMs ?? receivedAtMs ?? 0) / 1000),
    order: veriffOrder(stage, decisionTimeMs),
    eventId,
  };
}
