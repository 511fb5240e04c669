import { createHmac, randomUUID } from "node:crypto";
import * as onfidoPackage from "@onfido/api";
import type { ProviderKit, Sent } from "../../../../test/support/kits";
import { createOnfidoModule } from "../module";
import { PERSON } from "../../../../scripts/dev/person.cjs";

/** A new Onfido workflow run id (a UUID). */
export const newRunId = () => randomUUID();

/** Onfido's `workflow_run.completed` webhook, with the personal data its `resource` may carry. */
export function runWebhook(runId: string, status: string, completedAtMs: number | null) {
  return {
    payload: {
      resource_type: "workflow_run",
      action: "workflow_run.completed",
      object: {
        id: runId,
        status,
        ...(completedAtMs === null
          ? {}
          : {
              completed_at_iso8601: new Date(completedAtMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
            }),
        href: `https://api.eu.onfido.com/v3.6/workflow_runs/${runId}`,
      },
      resource: {
        id: runId,
        status,
        customer_user_id: "someone",
        // What a Studio workflow is configured to output: here, the person's data.
        output: {
          first_name: PERSON.givenName,
          last_name: PERSON.familyName,
          dob: "1990-02-14",
          document_number: PERSON.documentNumber,
        },
        link: { url: "https://eu.onfido.app/l/secret-link" },
        sdk_token: "eyJhbGciOiJIUzI1NiJ9.secret",
        timeline_file_download_url: "https://example.com/timeline.pdf?signature=secret",
      },
    },
  };
}

/** Onfido's signature: hex HMAC-SHA256 of the raw body with the webhook's token. */
export const onfidoSignature = (payload: string, token: string) =>
  createHmac("sha256", token).update(payload).digest("hex");

export const onfidoHeaders = (payload: string, token: string) => ({
  "Content-Type": "application/json",
  "X-SHA2-Signature": onfidoSignature(payload, token),
});

/** POSTs a body to `/webhooks/onfido`, signed as Onfido signs it. */
export async function postOnfidoWebhook(base: string, body: object, token: string) {
  const payload = JSON.stringify(body);
  const res = await fetch(`${base}/webhooks/onfido`, {
    method: "POST",
    headers: onfidoHeaders(payload, token),
    body: payload,
  });
  return { status: res.status, text: await res.text() };
}

const onfidoLibrary = onfidoPackage as unknown as Awaited<
  ReturnType<NonNullable<Parameters<typeof createOnfidoModule>[1]>>
>;

const onfidoSent = (payload: string, secret: string): Sent => ({
  path: "/webhooks/onfido",
  body: payload,
  headers: onfidoHeaders(payload, secret),
});

const NONE = { value: () => "" };

export const kit: ProviderKit = {
  secret: "onfido_kit_webhook_token",
  secretName: "ONFIDO_WEBHOOK_TOKEN",
  deployed: {
    params: [
      "ONFIDO_WORKFLOW_ID",
      "ONFIDO_REGION",
      "ONFIDO_API_BASE_URL",
      "ONFIDO_COMPLETED_REDIRECT_URL",
    ],
    api: ["ONFIDO_API_TOKEN"],
  },
  module: (settings) =>
    createOnfidoModule(
      {
        apiToken: NONE,
        webhookToken: { value: () => settings().webhookSecret },
        workflowId: NONE,
        region: { value: () => "EU" },
        apiBaseUrl: NONE,
        completedRedirectUrl: NONE,
      },
      // Jest runs CommonJS without dynamic import(): the library's CommonJS build, as deployed.
      () => Promise.resolve(onfidoLibrary),
    ),
  newId: newRunId,
  deliver: (id, secret) =>
    onfidoSent(JSON.stringify(runWebhook(id, "processing", Date.now())), secret),
  stage: (id, secret, stage, at) =>
    onfidoSent(JSON.stringify(runWebhook(id, stage, at * 1000)), secret),
  decide: (id, secret, decision, at) =>
    onfidoSent(JSON.stringify(runWebhook(id, decision, at * 1000)), secret),
  // In review, then approved an hour later.
  life: (id, secret) => {
    const t = Date.now() - 7_200_000;
    const bodies = [runWebhook(id, "review", t), runWebhook(id, "approved", t + 3_600_000)];
    return {
      sent: bodies.map((body) => onfidoSent(JSON.stringify(body), secret)),
      kept: bodies.length,
      holds: { providerStatus: "approved" },
    };
  },
  abandon: (id, secret, at) =>
    onfidoSent(JSON.stringify(runWebhook(id, "abandoned", at * 1000)), secret),
  erased: { outcome: "deleted", stillHeld: /archive/ },
  ignored: (id, secret) => {
    const check = runWebhook(id, "approved", Date.now());
    check.payload.resource_type = "check";
    check.payload.action = "check.completed";
    return onfidoSent(JSON.stringify(check), secret);
  },
  rotation: (newest, older) => `${newest},${older}`,
  personalData: /Jane|Doe|\b1990\b|ZQ7731942|secret|someone|timeline|Zebedee|Quillfeather/,
  // The run, moved on (the stand-in keeps its applicant).
  apiAnswer: (_id, decision) => ({
    status: decision,
    updated_at: new Date(Date.now() - 60_000).toISOString(),
  }),
  facts: {
    ageOver: { "18": true, "21": true },
    documentExpiresOn: "2031-06-30",
    issuingCountry: "DE",
    documentType: "passport",
  },
  naming: (id, secret, uid, at) => {
    const approved = runWebhook(id, "approved", at * 1000);
    approved.payload.resource.customer_user_id = uid;
    return onfidoSent(JSON.stringify(approved), secret);
  },
};
