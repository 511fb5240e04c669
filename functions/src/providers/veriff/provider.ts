import type { Provider } from "../contract";
import { secretValue } from "../params";
import { defineVeriffParams } from "./params";

/**
 * Veriff: sessions created by `startVerification`, event and decision webhooks signed over the
 * body alone (`X-HMAC-SIGNATURE`), and a decision API signed over the session id.
 */
export const veriff: Provider = {
  id: "veriff",
  name: "Veriff",
  // Decision webhooks carry the person and document read from the ID: tens of kilobytes at most.
  route: { path: "/webhooks/veriff", maxBytes: 256 * 1024 },
  logLabel: "veriff webhook",
  linking: "started",
  // A session is created, started, submitted; it ends unfinished (expired, abandoned) or is
  // decided, after a review or not. Veriff's order puts these classes before its clock (see
  // observe.ts): its event webhooks carry no time at all.
  lifecycle: [
    ["created"],
    ["started"],
    ["submitted"],
    ["expired", "abandoned"],
    ["review"],
    ["resubmission_requested", "approved", "declined"],
  ],
  choose() {
    const params = defineVeriffParams();
    return {
      webhookSecrets: [params.sharedSecret],
      // The API signs each request with the shared secret too.
      apiSecrets: [params.apiKey, params.sharedSecret],
      apiConfigured: () => secretValue(params.apiKey) !== "",
      load: async () => (await import("./module.js")).createVeriffModule(params),
    };
  },
};
