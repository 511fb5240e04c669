import type { Provider } from "../contract";
import { secretValue } from "../params";
import { defineSumsubParams } from "./params";

/**
 * Sumsub: applicants created by `startVerification` with the uid as `externalUserId`, webhooks
 * signed over the body alone (`X-Payload-Digest`), and an API whose every request is signed.
 */
export const sumsub: Provider = {
  id: "sumsub",
  name: "Sumsub",
  // Applicant webhooks carry ids, statuses and codes, no personal data: a few kilobytes.
  route: { path: "/webhooks/sumsub", maxBytes: 64 * 1024 },
  logLabel: "sumsub webhook",
  linking: "started",
  // An applicant's review: documents requested, pending, checked or queued, on hold, completed.
  // Sumsub's order puts a decision (or a reset) above progress, and an end above progress, before
  // its clock (see observe.ts).
  lifecycle: [["init"], ["pending"], ["prechecked", "queued"], ["onHold"], ["completed"]],
  choose() {
    const params = defineSumsubParams();
    return {
      webhookSecrets: [params.webhookSecret],
      apiSecrets: [params.appToken, params.secretKey],
      apiConfigured: () =>
        secretValue(params.appToken) !== "" && secretValue(params.secretKey) !== "",
      load: async () => (await import("./module.js")).createSumsubModule(params),
    };
  },
};
