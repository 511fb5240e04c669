import type { VerificationState, VerificationStatus } from "../../verification/observation";
import { conservativeRank, stageRank } from "../contract";
import type { Inquiry } from "./event";
import { persona } from "./provider";

/** What `completed` means (param PERSONA_COMPLETED_MEANS): a decision only without post-inquiry review. */
export const completedMeanings = ["pending", "approved"] as const;
export type CompletedMeans = (typeof completedMeanings)[number];

/** PERSONA_COMPLETED_MEANS read strictly: undefined for anything but pending or approved. */
export const completedMeansOf = (value: string): CompletedMeans | undefined =>
  completedMeanings.find((meaning) => meaning === value);

/**
 * What an inquiry's status means. `failed` is declined, though a reviewer may still approve;
 * `expired` ended without a decision (it can be resumed: `canRetry`). Persona's set of statuses
 * is open: a status this version does not know means nothing (undefined) and moves no state.
 */
export function neutralStatus(
  status: string,
  completedMeans: CompletedMeans,
): VerificationStatus | undefined {
  switch (status) {
    case "approved":
      return "approved";
    case "declined":
    case "failed":
      return "declined";
    case "completed":
      return completedMeans;
    case "created":
    case "pending":
    case "needs_review":
      return "pending";
    case "expired":
      return "expired";
    default:
      return undefined;
  }
}

/**
 * Persona's order: its clock in milliseconds, then the stage of its lifecycle (a decision over
 * review over done over started over created), then the conservative status.
 */
export const personaOrder = (atMs: number, providerStatus: string, status: VerificationStatus) => [
  atMs,
  stageRank(persona.lifecycle, providerStatus),
  conservativeRank[status],
];

/** Persona's word on an inquiry, as the merge compares it: its time in ms, then the phase. */
export const personaState = (
  status: VerificationStatus,
  providerStatus: string,
  atMs: number,
  eventId: string,
): VerificationState => ({
  provider: "persona",
  status,
  providerStatus,
  at: Math.floor(atMs / 1000),
  order: personaOrder(atMs, providerStatus, status),
  eventId,
});

/** An inquiry's state as seen at `atMs` under the audit id `eventId`; undefined if unknown. */
export function observeInquiry(
  inquiry: Pick<Inquiry, "attributes">,
  atMs: number,
  eventId: string,
  completedMeans: CompletedMeans,
): VerificationState | undefined {
  const providerStatus = inquiry.attributes.status;
  const status = neutralStatus(providerStatus, completedMeans);
  return status && personaState(status, providerStatus, atMs, eventId);
}

/** The redaction event deletes personal data at Persona; the inquiry keeps its status. */
export const REDACTED_EVENT = "inquiry.redacted";

/** The event that puts an inquiry in each status Persona documents. */
export const EVENT_OF_STATUS: Readonly<Record<string, string>> = {
  created: "inquiry.created",
  pending: "inquiry.started",
  completed: "inquiry.completed",
  failed: "inquiry.failed",
  expired: "inquiry.expired",
  needs_review: "inquiry.marked-for-review",
  approved: "inquiry.approved",
  declined: "inquiry.declined",
};

/** The inquiry events whose snapshot of the inquiry is an observation of its state. */
export const STATUS_EVENTS: ReadonlySet<string> = new Set(Object.values(EVENT_OF_STATUS));

/** The inquiry's template: `itmpl_...`, or a legacy `tmpl_...`. */
export const templateOf = (inquiry: Inquiry) =>
  inquiry.relationships?.["inquiry-template"]?.data?.id ??
  inquiry.relationships?.template?.data?.id ??
  null;

const isoOrNull = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** What is stored of an inquiry fetched from the API: no personal data. */
export function projectInquiry(inquiry: Inquiry) {
  return {
    status: inquiry.attributes.status,
    templateId: templateOf(inquiry),
    decisionedAt: isoOrNull(inquiry.attributes["decisioned-at"]),
    redactedAt: isoOrNull(inquiry.attributes["redacted-at"]),
  };
}
