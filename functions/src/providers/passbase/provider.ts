import type { Provider } from "../contract";
import { secretValue } from "../params";
import { definePassbaseParams } from "./params";

/**
 * Passbase: AES-256-CBC encrypted webhooks at `/webhooks` (where the project began), linked by the
 * user (`linkVerification`), and by the identity's metadata as a hint.
 */
export const passbase: Provider = {
  id: "passbase",
  name: "Passbase",
  // Real events are ~200 bytes; larger bodies are refused before any decryption.
  route: { path: "/webhooks", maxBytes: 64 * 1024 },
  logLabel: "webhook",
  linking: "user",
  // A completed verification is reviewed. Passbase's order puts the stage before its clock: a
  // review outranks a completion whatever their times (see observe.ts).
  lifecycle: [["VERIFICATION_COMPLETED"], ["VERIFICATION_REVIEWED"]],
  // Its verifications were stored before there was another provider, without `provider`.
  ownsUnlabelled: true,
  choose() {
    const params = definePassbaseParams();
    return {
      webhookSecrets: [params.webhookSecret],
      apiSecrets: [params.apiKey],
      apiConfigured: () => secretValue(params.apiKey) !== "",
      load: async () => (await import("./module.js")).createPassbaseModule(params),
    };
  },
};
