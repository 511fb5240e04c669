/**
 * Who bound a verification to its user: the user themself (`linkVerification`, or a session
 * started for them), or the identity's metadata, which the provider's client SDK lets the
 * browser set and which is therefore only a hint.
 */
export type LinkedBy = "user" | "metadata";

/** What linking does: bind, find it bound already, refuse, or find the two sources disagreeing. */
export type LinkOutcome = "linked" | "already-linked" | "taken" | "conflict";

export interface CurrentLink {
  uid: string;
  by: LinkedBy;
}

/** The decision, and what to write: the link itself, or the conflict to mark. */
export type LinkDecision =
  | { outcome: "linked" | "already-linked"; write: CurrentLink | undefined }
  | { outcome: "taken"; write: undefined }
  | { outcome: "conflict"; write: undefined; conflict: CurrentLink };

/**
 * The first binding wins, and the same user linking again is a no-op. Metadata is weaker than the
 * user: it only fills an empty link, and a user's own link replaces the same uid's metadata link.
 * When the two name different users, neither wins: it is a conflict for an operator, and the
 * claim is withheld meanwhile. Two users' own links never conflict: the second is refused.
 */
export function decideLink(current: CurrentLink | undefined, request: CurrentLink): LinkDecision {
  if (current === undefined) return { outcome: "linked", write: request };
  if (current.uid === request.uid) {
    const upgrade = current.by === "metadata" && request.by === "user";
    return { outcome: "already-linked", write: upgrade ? request : undefined };
  }
  if (current.by === "user" && request.by === "user") return { outcome: "taken", write: undefined };
  return { outcome: "conflict", write: undefined, conflict: request };
}
