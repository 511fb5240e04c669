/** What linking a verification to a user does: bind it, find it bound already, or refuse. */
export type LinkOutcome = "linked" | "already-linked" | "taken";

/** The first binding wins; the same user linking again is a no-op, another user is refused. */
export function decideLink(currentUid: string | undefined, caller: string): LinkOutcome {
  if (currentUid === undefined) return "linked";
  return currentUid === caller ? "already-linked" : "taken";
}
