/** What the page shows for the user's record: its state, in plain words, and the next step. */
export interface Shown {
  state:
    | "not-started"
    | "in-progress"
    | "approved"
    | "document-expired"
    | "declined"
    | "expired";
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
  const shown = record?.verification as
    | { documentExpired?: unknown; facts?: { documentExpiresOn?: unknown } }
    | undefined;
  if (decided === "approved" && shown?.documentExpired === true) {
    const on = shown.facts?.documentExpiresOn;
    return {
      state: "document-expired",
      title: "Please verify again",
      text: `Your identity was verified, but your document expired${typeof on === "string" ? ` on ${on}` : ""}. Verify again with a document that is still valid.`,
      action: "Verify again",
    };
  }
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

/**
 * What the approval tells the app, in plain words: "over 18: yes" for each age the backend derived
 * (AGE_THRESHOLDS), and until when the document is valid. Never the date of birth: the backend
 * keeps none.
 */
export function factLines(
  record: Record<string, unknown> | undefined,
): string[] {
  const verification = record?.verification as
    | {
        status?: string;
        documentExpired?: unknown;
        facts?: {
          ageOver?: Record<string, unknown>;
          documentExpiresOn?: unknown;
        };
      }
    | undefined;
  if (verification?.status !== "approved" || !verification.facts) return [];
  const { ageOver = {}, documentExpiresOn } = verification.facts;
  const lines = Object.entries(ageOver)
    .filter(([, over]) => typeof over === "boolean")
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([years, over]) => `over ${years}: ${over === true ? "yes" : "no"}`);
  if (typeof documentExpiresOn === "string") {
    lines.push(
      verification.documentExpired === true
        ? `document expired on ${documentExpiresOn}`
        : `document valid until ${documentExpiresOn}`,
    );
  }
  return lines;
}
