import { z } from "zod";
import type { Answer, ParamValues, ProviderModule, Recording, Starter } from "../contract";
import { apiFailed } from "../api-request";
import { secretValue, secretValues } from "../params";
import {
  createOnfidoApi,
  REGIONS,
  type OnfidoApi,
  type OnfidoLibrary,
  type WorkflowRun,
} from "./api-client";
import { onfidoEventId, parseOnfidoWebhook } from "./event";
import { canRetry, neutralStatus, onfidoState } from "./observe";
import type { OnfidoParams } from "./params";
import { verifyOnfido, type OnfidoVerifierPackage } from "./signature";
import { returnUrlOf } from "../browser-url";

/** What a run's status at Onfido's time asks the store to record; undefined if unknown. */
export function runRecording(
  runId: string,
  status: string,
  atMs: number,
  event: string,
): Recording | undefined {
  const eventId = onfidoEventId(runId, status, atMs);
  const observation = onfidoState(status, atMs, eventId);
  if (!observation) return undefined;
  return {
    id: runId,
    auditId: eventId,
    audit: { event, providerStatus: status, completedAt: new Date(atMs) },
    state: {
      observation,
      fields: {
        status: observation.status,
        providerStatus: status,
        observedAt: new Date(atMs),
        eventId,
        canRetry: canRetry(status),
      },
    },
  };
}

// An Onfido run's state as stored: Onfido's word and Onfido's time.
const storedState = z.object({
  providerStatus: z.string(),
  observedAt: z.date(),
  eventId: z.string(),
});

/** The API's answer about a run, at Onfido's own `updated_at` (else when it was asked). */
function runAnswer(run: WorkflowRun, api: OnfidoApi): Answer {
  return {
    status: neutralStatus(run.status),
    providerStatus: run.status,
    observe: (atMs) =>
      runRecording(run.id, run.status, run.updated_at ?? atMs, "workflow_run.fetched"),
    details: {
      status: run.status,
      reasons: run.reasons ?? [],
      updatedAt: run.updated_at ? new Date(run.updated_at).toISOString() : null,
    },
    facts: () =>
      run.applicant_id
        ? api.getVerifiedValues(run.applicant_id)
        : Promise.resolve({ ok: true, raw: {} }),
  };
}

const started = (run: WorkflowRun) => ({
  id: run.id,
  sdkToken: run.sdk_token ?? null,
  url: run.link?.url ?? null,
});

/**
 * Onfido: one applicant a user, kept with each run's link; a run from the Studio workflow, whose
 * `sdk_token` and `link.url` open the flow. The caller's open run is given back with a fresh token.
 */
export function onfidoStarter(
  api: OnfidoApi,
  workflowId: string,
  completedRedirectUrl: string,
): Starter {
  return {
    unfinished: ({ providerStatus: status }) =>
      status === undefined ||
      status === "awaiting_input" ||
      status === "awaiting_client_input" ||
      status === "processing",
    async resume({ id }) {
      const run = await api.findWorkflowRun(id);
      return run.ok ? { ok: true, started: started(run.value) } : run;
    },
    async create(uid, _idempotencyKey, before) {
      const kept = before.map((b) => b.kept?.applicantId).find((id) => typeof id === "string");
      let applicantId = typeof kept === "string" ? kept : undefined;
      if (!applicantId) {
        const applicant = await api.createApplicant();
        if (!applicant.ok) return applicant;
        applicantId = applicant.value.id;
      }
      const run = await api.createWorkflowRun({
        workflowId,
        applicantId,
        uid,
        completedRedirectUrl,
      });
      return run.ok ? { ok: true, started: started(run.value), keep: { applicantId } } : run;
    },
  };
}

/** The official library, loaded on first use through its CommonJS build (its ESM build cannot verify). */
const importOnfido = (): Promise<OnfidoLibrary & OnfidoVerifierPackage> =>
  import("@onfido/api") as unknown as Promise<OnfidoLibrary & OnfidoVerifierPackage>;

/**
 * Erases a run's data at Onfido by deleting its applicant (the one its start kept, else the
 * run's). Onfido archives it for the account's deletion delay, restorable until then. An
 * applicant with checks in progress waits.
 */
export async function deleteApplicant(
  api: OnfidoApi,
  runId: string,
  kept: Readonly<Record<string, unknown>> | undefined,
) {
  let applicantId = typeof kept?.applicantId === "string" ? kept.applicantId : undefined;
  if (applicantId === undefined) {
    const run = await api.findWorkflowRun(runId);
    if (!run.ok) return run;
    applicantId = run.value.applicant_id ?? undefined;
    if (applicantId === undefined) return apiFailed("malformed", 200, "the run names no applicant");
  }
  const deleted = await api.deleteApplicant(applicantId);
  if (deleted.ok) return { ok: true as const, erased: ONFIDO_ERASED };
  // Gone already (the facts: 404 = done): one applicant serves all of a user's runs, so each run
  // after the first finds it deleted, as does a retry whose first answer was lost.
  if (deleted.failure === "not-found") {
    return { ok: true as const, erased: { ...ONFIDO_ERASED, outcome: "already deleted" } };
  }
  if (deleted.code === "deletion_incomplete_checks") {
    return apiFailed(
      "unavailable",
      deleted.status,
      "checks in progress: deletion waits",
      deleted.code,
    );
  }
  return deleted;
}

/** What Onfido holds after a deletion. */
export const ONFIDO_ERASED = {
  outcome: "deleted",
  stillHeld:
    "the applicant's archive, until your account's deletion delay ends (restorable until then)",
};

/** Onfido's code, reading its params on each call; the library loads on first use. */
export function createOnfidoModule(
  params: ParamValues<OnfidoParams>,
  load: typeof importOnfido = importOnfido,
): ProviderModule {
  let library: ReturnType<typeof importOnfido> | undefined;
  const loadLibrary = () => (library ??= load());
  // One token, or a rotation's two (a second webhook's) separated by a comma.
  const tokens = () => secretValues(params.webhookToken, ",");
  const region = () => REGIONS.find((r) => r === params.region.value().trim().toUpperCase());
  const api = async () => {
    const apiToken = secretValue(params.apiToken);
    const chosen = region();
    if (!apiToken || !chosen) return undefined;
    return createOnfidoApi(await loadLibrary(), {
      apiToken,
      region: chosen,
      baseUrl: params.apiBaseUrl.value().trim(),
    });
  };
  const off = "ONFIDO_API_TOKEN is not set, or ONFIDO_REGION is not EU, US or CA";

  return {
    webhook: {
      state: () =>
        tokens().length > 0
          ? { kind: "on" }
          : {
              kind: "off",
              hint: "ONFIDO_WEBHOOK_TOKEN is not set. Set it to the webhook's token to receive Onfido's workflow run events.",
            },
      async open(body, header) {
        if (body.length === 0) return { ok: false, reason: "empty" };
        const verified = verifyOnfido(
          body,
          header("x-sha2-signature"),
          tokens(),
          await loadLibrary(),
        );
        if (!verified.ok) return verified;
        const webhook = parseOnfidoWebhook(verified.json);
        if (webhook.kind === "invalid") {
          return { ok: false, reason: "invalid-event", issues: webhook.issues };
        }
        const secretIndex = verified.secretIndex > 0 ? { secretIndex: verified.secretIndex } : {};
        if (webhook.kind === "other") {
          // A check, a report, a task: acknowledged, nothing stored.
          return { ok: true, key: webhook.key, event: webhook.action, at: 0, ...secretIndex };
        }
        const { runId, status, atMs, action } = webhook;
        // Applied as it comes: the body is authenticated, and each decision's details task
        // fetches the run anyway, through the same merge.
        const recording = status === null ? undefined : runRecording(runId, status, atMs, action);
        return {
          ok: true,
          key: runId,
          event: action,
          at: atMs,
          ...(recording ? { recording } : {}),
          ...secretIndex,
        };
      },
    },

    readState(fields) {
      const parsed = storedState.safeParse(fields);
      if (!parsed.success) return undefined;
      const { providerStatus, observedAt, eventId } = parsed.data;
      return onfidoState(providerStatus, observedAt.getTime(), eventId);
    },

    async api() {
      const client = await api();
      if (!client) return { off };
      return {
        async lookup(key) {
          const run = await client.findWorkflowRun(key);
          return run.ok ? { ok: true, answer: runAnswer(run.value, client) } : run;
        },
      };
    },

    async eraser() {
      const client = await api();
      if (!client) return { off };
      return { erase: (key, kept) => deleteApplicant(client, key, kept) };
    },

    async starter({ returnUrl }) {
      const client = await api();
      const workflowId = params.workflowId.value().trim();
      if (!client || !workflowId) return { off: `${off}, or ONFIDO_WORKFLOW_ID is empty` };
      // ONFIDO_COMPLETED_REDIRECT_URL, where set, is Onfido's own way back; else the deployment's.
      // Checked on each use, as VERIFICATION_RETURN_URL is: a wrong one fails closed.
      const own = returnUrlOf(params.completedRedirectUrl.value(), "ONFIDO_COMPLETED_REDIRECT_URL");
      if ("problem" in own) return { off: own.problem };
      return onfidoStarter(client, workflowId, own.url ?? returnUrl ?? "");
    },
  };
}
