import type { VerificationState, VerificationStatus } from "../../verification/observation";
import { conservativeRank, stageRank } from "../contract";
import type { ReviewResult } from "./event";
import { sumsub } from "./provider";

/** What Sumsub says of an applicant: its review status, or an event that stands for one. */
export interface SumsubWord {
  /** `reviewStatus`, or `reset` (the review erased), `deactivated` or `deleted`. */
  providerStatus: string;
  reviewAnswer: ReviewResult["reviewAnswer"];
  reviewRejectType: ReviewResult["reviewRejectType"];
}

const ENDED = new Set(["deactivated", "deleted"]);

/**
 * What Sumsub's word means. `completed` with GREEN is approved; with RED, declined, and with a
 * RETRY the user may redo the failed steps (`canRetry`). A reset erased the review: pending. A
 * deactivated or deleted applicant ended without a decision: expired, which never replaces one.
 * `completed` without an answer, or a status this version does not know, means nothing.
 */
export function neutralStatus(word: SumsubWord): VerificationStatus | undefined {
  const { providerStatus, reviewAnswer } = word;
  if (ENDED.has(providerStatus)) return "expired";
  if (providerStatus === "reset") return "pending";
  if (providerStatus === "completed") {
    return reviewAnswer === "GREEN" ? "approved" : reviewAnswer === "RED" ? "declined" : undefined;
  }
  return stageRank(sumsub.lifecycle, providerStatus) >= 0 ? "pending" : undefined;
}

/** Whether the user may redo the failed steps in the same applicant. */
export const canRetry = (word: SumsubWord) =>
  word.providerStatus === "completed" &&
  word.reviewAnswer === "RED" &&
  word.reviewRejectType === "RETRY";

/**
 * Sumsub's order. First the class: progress < an end (deactivated, deleted) < a decision or a
 * reset, so that an end never replaces a decision, and a later decision or reset (which erases the
 * review) replaces one. Then the facts' order: `createdAtMs`, the lifecycle's stage, and on a tie
 * RED over GREEN and FINAL over RETRY (the conservative status does both).
 */
export function sumsubOrder(word: SumsubWord, atMs: number): number[] {
  const status = neutralStatus(word) ?? "pending";
  const { providerStatus } = word;
  const decided = providerStatus === "completed" || providerStatus === "reset";
  return [
    decided ? 2 : ENDED.has(providerStatus) ? 1 : 0,
    atMs,
    stageRank(sumsub.lifecycle, providerStatus === "reset" ? "init" : providerStatus),
    conservativeRank[status],
    word.reviewRejectType === "FINAL" ? 1 : 0,
  ];
}

/** Sumsub's word as the merge compares it; undefined when it means nothing. */
export function sumsubState(
  word: SumsubWord,
  atMs: number,
  eventId: string,
): VerificationState | undefined {
  const status = neutralStatus(word);
  if (status === undefined) return undefined;
  return {
    provider: "sumsub",
    status,
    providerStatus: word.providerStatus,
    at: Math.floor(atMs / 1000),
    order: sumsubOrder(word, atMs),
    eventId,
    // A reset deletes the statuses assigned earlier: the decision is gone, not only superseded.
    ...(word.providerStatus === "reset" ? { erasesDecision: true as const } : {}),
  };
}
