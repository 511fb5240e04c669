import { defineInt, defineSecret, defineString } from "firebase-functions/params";
import { apiUrlInput } from "../params";

/** Persona's params and secrets, defined only when the deployment chooses Persona. */
export function definePersonaParams() {
  return {
    /**
     * The webhook's secret (wbhsec_...). While rotating, Persona signs with both secrets; the new
     * one goes here once the old one expires. Empty: POST /webhooks/persona answers 404.
     */
    webhookSecret: defineSecret("PERSONA_WEBHOOK_SECRET", {
      description: "The secret (wbhsec_...) of the Persona webhook .../widgets/webhooks/persona.",
    }),
    /** An API key that may create, resume and read inquiries. */
    apiKey: defineSecret("PERSONA_API_KEY", {
      description:
        "A Persona API key (persona_production_... or persona_sandbox_...) allowed to create, " +
        "resume and read inquiries.",
    }),
    templateId: defineString("PERSONA_TEMPLATE_ID", {
      default: "",
      description:
        "The inquiry template (itmpl_...) startVerification creates inquiries from. Empty: " +
        "startVerification refuses Persona.",
      input: {
        text: {
          validationRegex: "^(|i?tmpl_[A-Za-z0-9]{1,100})$",
          validationErrorMessage: "Enter a template id such as itmpl_abc123, or nothing.",
        },
      },
    }),
    /** What Persona's `completed` means: see observe.ts. */
    completedMeans: defineString("PERSONA_COMPLETED_MEANS", {
      default: "pending",
      description:
        "What a completed inquiry means: pending (a workflow or reviewer approves or declines " +
        "afterwards) or approved (templates without post-inquiry decisions).",
      input: { select: { options: [{ value: "pending" }, { value: "approved" }] } },
    }),
    toleranceSeconds: defineInt("PERSONA_SIGNATURE_TOLERANCE_SECONDS", {
      default: 600,
      description:
        "How old a Persona-Signature's timestamp may be, in seconds. A retry refused as stale " +
        "is healed by the confirmation and reconciliation.",
      input: {
        text: {
          validationRegex: "^[1-9][0-9]{0,5}$",
          validationErrorMessage: "Enter a whole number of seconds, at least 1.",
        },
      },
    }),
    apiBaseUrl: defineString("PERSONA_API_BASE_URL", {
      default: "https://api.withpersona.com/api/v1",
      description: "Base URL of Persona's API.",
      input: apiUrlInput("https://api.withpersona.com/api/v1", "a path"),
    }),
  };
}

export type PersonaParams = ReturnType<typeof definePersonaParams>;
