import { defineSecret, defineString } from "firebase-functions/params";
import { apiUrlInput } from "../params";

/** Onfido's params and secrets, defined only when the deployment chooses Onfido. */
export function defineOnfidoParams() {
  return {
    /** The API token (`api_sandbox…` or `api_live…`): server-only. */
    apiToken: defineSecret("ONFIDO_API_TOKEN", {
      description: "An Onfido API token (Dashboard → Developers → Tokens).",
    }),
    /**
     * The webhook's token; during a rotation, two separated by a comma (Onfido has no rotate call:
     * the new token belongs to a second webhook). Empty: POST /webhooks/onfido answers 404.
     */
    webhookToken: defineSecret("ONFIDO_WEBHOOK_TOKEN", {
      description:
        "The token of the Onfido webhook .../widgets/webhooks/onfido; during a rotation, the two " +
        "webhooks' tokens separated by a comma.",
    }),
    /** Required: the Studio workflow runs are created from. No default, so the deploy asks. */
    workflowId: defineString("ONFIDO_WORKFLOW_ID", {
      description: "The Onfido Studio workflow (its id, a UUID) that runs are created from.",
      input: {
        text: {
          validationRegex: "^[0-9a-fA-F-]{36}$",
          validationErrorMessage: "Enter the workflow's id, a UUID.",
        },
      },
    }),
    region: defineString("ONFIDO_REGION", {
      default: "EU",
      description: "The region of the Onfido account: EU, US or CA.",
      input: { select: { options: [{ value: "EU" }, { value: "US" }, { value: "CA" }] } },
    }),
    apiBaseUrl: defineString("ONFIDO_API_BASE_URL", {
      default: "",
      description: "Overrides the region's API host (the local stand-in's). Empty: the region's.",
      input: {
        text: {
          validationRegex: `^(|${apiUrlInput("https://api.eu.onfido.com", "no path").text.validationRegex.slice(1, -1)})$`,
          validationErrorMessage: "Enter an https:// URL without a path, or nothing.",
        },
      },
    }),
    completedRedirectUrl: defineString("ONFIDO_COMPLETED_REDIRECT_URL", {
      default: "",
      description:
        "Where Onfido's hosted flow sends the user when the run is completed " +
        "(link.completed_redirect_url). Empty: none.",
      input: {
        text: {
          validationRegex:
            "^(|https://[^\\s]+|http://(127\\.0\\.0\\.1|localhost)(:\\d+)?(/[^\\s]*)?)$",
          validationErrorMessage: "Enter an https:// URL, or nothing.",
        },
      },
    }),
  };
}

export type OnfidoParams = ReturnType<typeof defineOnfidoParams>;
