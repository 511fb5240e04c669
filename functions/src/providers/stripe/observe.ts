import type { VerificationState, VerificationStatus } from "../../verification/observation";
import { conservativeRank, stageRank } from "../contract";
import type { Session } from "./event";
import { stripe } from "./provider";

/**
 * What a session's status means. `requires_input` after a failed attempt (`last_error`) is
 * declined, though not for good (`canRetry`): the user may try the same session again, and the
 * later `processing` or `verified` then wins. A fresh `requires_input` is pending. `canceled` is
 * an attempt that ended without a decision: expired, which never replaces a decision.
 */
export function neutralStatus(session: Pick<Session, "status" | "last_error">): VerificationStatus {
  switch (session.status) {
    case "verified":
      return "approved";
    case "canceled":
      return "expired";
    case "processing":
      return "pending";
    case "requires_input":
      return session.last_error?.code ? "declined" : "pending";
  }
}

/** Whether the user may try again in the same session: after a failed attempt. */
export const canRetry = (session: Pick<Session, "status" | "last_error">) =>
  session.status === "requires_input" && Boolean(session.last_error?.code);

/** A session's stage in Stripe's lifecycle: `requires_input` after an error is a later one. */
export const stageOf = (providerStatus: string, status: VerificationStatus) =>
  providerStatus === "requires_input" && status === "declined"
    ? "requires_input_error"
    : providerStatus;

/**
 * Stripe's order: its clock (`created`, or when the API was asked, in seconds), then the stage of
 * its lifecycle (a stage that can only follow another beats it), then the conservative status.
 */
export const stripeOrder = (at: number, providerStatus: string, status: VerificationStatus) => [
  at,
  stageRank(stripe.lifecycle, stageOf(providerStatus, status)),
  conservativeRank[status],
];

/** A session's state as seen at `at` (unix seconds), under the audit id `eventId`. */
export function observeSession(
  session: Pick<Session, "status" | "last_error">,
  at: number,
  eventId: string,
): VerificationState {
  const status = neutralStatus(session);
  return {
    provider: "stripe",
    status,
    providerStatus: session.status,
    at,
    order: stripeOrder(at, session.status, status),
    eventId,
  };
}

/** The redaction event deletes personal data at Stripe; it is no verification outcome. */
export const REDACTED_EVENT = "identity.verification_session.redacted";

/** The session events whose snapshot of the session is an observation of its state. */
export const STATUS_EVENTS: ReadonlySet<string> = new Set(
  ["created", "processing", "verified", "requires_input", "canceled"].map(
    (name) => `identity.verification_session.${name}`,
  ),
);

/** What is stored of a session fetched from the API: no personal data. */
export function projectSession(session: Session) {
  return {
    status: session.status,
    type: session.type ?? null,
    lastErrorCode: session.last_error?.code ?? null,
    livemode: session.livemode ?? null,
    redactionStatus: session.redaction?.status ?? null,
  };
}
