import { defineSecret, defineString } from "firebase-functions/params";
import { apiUrlInput } from "../params";

/** Veriff's params and secrets, defined only when the deployment chooses Veriff. */
export function defineVeriffParams() {
  return {
    /** The integration's API key (X-AUTH-CLIENT). Veriff's browser SDK sends it from the page. */
    apiKey: defineSecret("VERIFF_API_KEY", {
      description:
        "The API key of the Veriff integration (Customer Portal → integration → API keys).",
    }),
    /**
     * The integration's shared secret key, which signs webhooks and API requests. While rotating,
     * two keys, one per line, newest first. Empty: POST /webhooks/veriff answers 404.
     */
    sharedSecret: defineSecret("VERIFF_SHARED_SECRET", {
      description:
        "The shared secret key of the Veriff integration; while rotating, the new and the old " +
        "one on two lines.",
    }),
    /** Veriff shows the base URL per integration: no default. */
    apiBaseUrl: defineString("VERIFF_API_BASE_URL", {
      description:
        "The base URL of Veriff's API as the integration's page in Veriff's Customer Portal shows " +
        "it, e.g. https://stationapi.veriff.com.",
      input: apiUrlInput("https://stationapi.veriff.com", "no path"),
    }),
    callbackUrl: defineString("VERIFF_CALLBACK_URL", {
      default: "",
      description:
        "Where Veriff sends the user after the flow (the session's callback). Empty: the " +
        "integration's default from the Customer Portal.",
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

export type VeriffParams = ReturnType<typeof defineVeriffParams>;
