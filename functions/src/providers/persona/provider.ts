import type { Provider } from "../contract";
import { secretValue } from "../params";
import { definePersonaParams } from "./params";

/** Persona: inquiries, signed webhooks (`Persona-Signature`), started by `startVerification`. */
export const persona: Provider = {
  id: "persona",
  name: "Persona",
  // Inquiry events carry the inquiry with its personal data, and included objects: tens of
  // kilobytes at most. Larger bodies are refused before any HMAC.
  route: { path: "/webhooks/persona", maxBytes: 1024 * 1024 },
  logLabel: "persona webhook",
  linking: "started",
  // Created, started, then done (completed, failed, expired), then marked for review, then
  // decided. A status Persona adds later is in no stage, and moves no state.
  lifecycle: [
    ["created"],
    ["pending"],
    ["completed", "failed", "expired"],
    ["needs_review"],
    ["approved", "declined"],
  ],
  choose() {
    const params = definePersonaParams();
    return {
      webhookSecrets: [params.webhookSecret],
      apiSecrets: [params.apiKey],
      apiConfigured: () => secretValue(params.apiKey) !== "",
      load: async () => (await import("./module.js")).createPersonaModule(params),
    };
  },
};
