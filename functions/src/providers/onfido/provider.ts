import type { Provider } from "../contract";
import { secretValue } from "../params";
import { defineOnfidoParams } from "./params";

/**
 * Onfido (Entrust): Studio workflow runs created by `startVerification`, `workflow_run.completed`
 * webhooks signed over the body alone (`X-SHA2-Signature`), and the official `@onfido/api`.
 */
export const onfido: Provider = {
  id: "onfido",
  name: "Onfido",
  // Run webhooks carry ids, statuses and times (and, in `resource`, data this code drops).
  route: { path: "/webhooks/onfido", maxBytes: 256 * 1024 },
  logLabel: "onfido webhook",
  linking: "started",
  // A run waits for the user, processes, may go to review; it ends abandoned or in error, or
  // decided. Onfido's order puts these classes before its clock (see observe.ts).
  lifecycle: [
    ["awaiting_input"],
    ["awaiting_client_input"],
    ["processing"],
    ["review"],
    ["abandoned"],
    ["error"],
    ["approved", "declined"],
  ],
  choose() {
    const params = defineOnfidoParams();
    return {
      webhookSecrets: [params.webhookToken],
      apiSecrets: [params.apiToken],
      apiConfigured: () => secretValue(params.apiToken) !== "",
      load: async () => (await import("./module.js")).createOnfidoModule(params),
    };
  },
};
