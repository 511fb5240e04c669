/** What the page shows for the user's record: its state, in plain words, and the next step. */
export interface Shown {
  state: "not-started" | "in-progress" | "approved" | "declined" | "expired";
  title: string;
  text: string;
  /** The start button's label. */
  action: string;
}

type Status = string | undefined;

/**
 * Reads users/{uid} as the backend writes it: `verification` (the latest decision, or attempt
 * before any) and `attempt` (an attempt newer than the decision, open or ended). An approval
 * stays the state whatever a later attempt does; otherwise the later attempt is what matters
 * now. `canRetry` comes from the verification shown: the provider lets the user try again in it.
 */
export function describe(
  record: Record<string, unknown> | undefined,
  canRetry: boolean,
): Shown {
  const decided: Status = (
    record?.verification as { status?: string } | undefined
  )?.status;
  const attempt: Status = (record?.attempt as { status?: string } | undefined)
    ?.status;
  if (decided === "approved") {
    const later =
      attempt === "pending"
        ? " A new verification is in progress."
        : attempt === "expired"
          ? " A later verification ended before it was finished; this one still holds."
          : "";
    return {
      state: "approved",
      title: "Verified",
      text: `Your identity is verified.${later}`,
      action: "Verify again",
    };
  }
  switch (attempt ?? decided) {
    case "pending":
      return {
        state: "in-progress",
        title: "Verification in progress",
        text: "The provider is checking your documents. This page updates as soon as it has decided.",
        action: "Continue verification",
      };
    case "declined":
      return canRetry
        ? {
            state: "declined",
            title: "Not verified yet",
            text: "The provider could not verify you this time. You can try again.",
            action: "Try again",
          }
        : {
            state: "declined",
            title: "Not verified",
            text: "The provider could not verify your identity.",
            action: "Start again",
          };
    case "expired":
      return {
        state: "expired",
        title: "Verification expired",
        text: "Your verification ended before it was finished.",
        action: "Start again",
      };
    default:
      return {
        state: "not-started",
        title: "Not verified yet",
        text: "Start a verification to confirm who you are.",
        action: "Start verification",
      };
  }
}
