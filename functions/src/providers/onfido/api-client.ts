import { z } from "zod";
import { apiFailed, errorCode, type ApiFailed } from "../api-request";
import { onfidoId, onfidoTime } from "./event";
import { isBrowserUrl } from "../browser-url";
import type { FactsRead } from "../contract";
import { checksSchema, documentReportSchema, onfidoFacts } from "./facts";

/** The library's axios timeout: well under the check queue's deadline and Onfido's 10 s. */
export const ONFIDO_TIMEOUT_MS = 8_000;

/** The hosts of Onfido's regions; `@onfido/api` picks the same. */
export const REGIONS = ["EU", "US", "CA"] as const;
export type OnfidoRegion = (typeof REGIONS)[number];

/** What this code reads of a workflow run: no `output`, no `link.url` stored (it is returned). */
const runSchema = z.object({
  id: onfidoId,
  status: z.string().regex(/^[a-z0-9_]{1,40}$/),
  updated_at: onfidoTime.nullish(),
  applicant_id: onfidoId.nullish(),
  sdk_token: z.string().max(8192).nullish(),
  // A page the browser will open: anything but an https one (http to this machine, locally) is
  // dropped, never handed on; a lookup that only confirms the run still reads.
  link: z.object({ url: z.string().refine(isBrowserUrl).nullish().catch(null) }).nullish(),
  reasons: z.array(z.string().max(128)).max(50).nullish(),
});
export type WorkflowRun = z.infer<typeof runSchema>;
const applicantSchema = z.object({ id: onfidoId });

/** The slice of `@onfido/api` this code uses. */
export interface OnfidoLibrary {
  Configuration: new (params: {
    apiToken: string;
    region: number;
    basePath?: string;
    baseOptions?: object;
  }) => unknown;
  Region: Record<OnfidoRegion, number>;
  DefaultApi: new (configuration: unknown) => {
    createApplicant(builder: object): Promise<{ data: unknown }>;
    deleteApplicant(id: string): Promise<unknown>;
    createWorkflowRun(builder: object): Promise<{ data: unknown }>;
    findWorkflowRun(id: string): Promise<{ data: unknown }>;
    listChecks(applicantId: string): Promise<{ data: unknown }>;
    findReport(reportId: string): Promise<{ data: unknown }>;
  };
}

/** An axios failure, sorted as every client here sorts them; a refusal keeps Onfido's type. */
function failed(error: unknown, what = "workflow run"): ApiFailed {
  const response = (error as { response?: { status?: unknown; data?: unknown } } | null)?.response;
  const status = response?.status;
  if (typeof status !== "number") return apiFailed("unavailable", null, "network error or timeout");
  if (status === 429 || status >= 500) return apiFailed("unavailable", status, `HTTP ${status}`);
  if (status === 404) return apiFailed("not-found", 404, `HTTP 404: no such ${what}`);
  if (status === 401 || status === 403) {
    return apiFailed("unauthorized", status, `HTTP ${status}: check ONFIDO_API_TOKEN`);
  }
  const type = (response?.data as { error?: { type?: unknown } } | undefined)?.error?.type;
  return apiFailed("rejected", status, `HTTP ${status}`, errorCode(type));
}

/**
 * Onfido's API through its official library: one call per method, its answers read through a
 * schema (the library returns them unvalidated). Retrying is the task queue's job.
 */
export function createOnfidoApi(
  library: OnfidoLibrary,
  options: { apiToken: string; region: OnfidoRegion; baseUrl: string },
) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const api = new library.DefaultApi(
    new library.Configuration({
      apiToken: options.apiToken,
      region: library.Region[options.region],
      ...(base ? { basePath: `${base}/v3.6` } : {}),
      baseOptions: { timeout: ONFIDO_TIMEOUT_MS },
    }),
  );
  const read = async <T>(
    call: () => Promise<{ data: unknown }>,
    schema: z.ZodType<T>,
    what: string,
  ): Promise<{ ok: true; value: T } | ApiFailed> => {
    let data: unknown;
    try {
      data = (await call()).data;
    } catch (error) {
      return failed(error);
    }
    const parsed = schema.safeParse(data);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : apiFailed("malformed", 200, `the body is not ${what}`);
  };

  return {
    /**
     * The verified values of an applicant's document: its latest check's document report, read by
     * id (how a Studio run exposes the report's properties otherwise is not confirmed).
     */
    async getVerifiedValues(applicantId: string): Promise<FactsRead> {
      const checks = await read(
        () => api.listChecks(applicantId),
        checksSchema,
        "a list of checks",
      );
      if (!checks.ok) return checks;
      const latest = checks.value.checks
        .slice()
        .sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? ""))
        .pop();
      for (const reportId of latest?.report_ids ?? []) {
        const report = await read(() => api.findReport(reportId), documentReportSchema, "a report");
        if (!report.ok) return report;
        if (report.value.name === "document") return { ok: true, raw: onfidoFacts(report.value) };
      }
      return { ok: true, raw: {} };
    },
    findWorkflowRun: (id: string) =>
      read(() => api.findWorkflowRun(id), runSchema, "a workflow run"),
    /**
     * An applicant for a run. Onfido requires a first and a last name, and this backend holds
     * neither: it sends neutral placeholders, which are no one's data; the Studio workflow
     * captures the person's own from their document.
     */
    createApplicant: () =>
      read(
        () => api.createApplicant({ first_name: "Applicant", last_name: "Unnamed" }),
        applicantSchema,
        "an applicant",
      ),
    /**
     * Deletes an applicant with its documents, photos, videos, checks and reports: Onfido archives
     * them for the account's deletion delay, then deletes them.
     */
    async deleteApplicant(id: string): Promise<{ ok: true } | ApiFailed> {
      try {
        await api.deleteApplicant(id);
        return { ok: true };
      } catch (error) {
        return failed(error, "applicant");
      }
    },
    createWorkflowRun: (run: {
      workflowId: string;
      applicantId: string;
      uid: string;
      completedRedirectUrl: string;
    }) =>
      read(
        () =>
          api.createWorkflowRun({
            workflow_id: run.workflowId,
            applicant_id: run.applicantId,
            // Only our server creates runs: the uid here is never a stranger's choice.
            customer_user_id: run.uid,
            ...(run.completedRedirectUrl
              ? { link: { completed_redirect_url: run.completedRedirectUrl } }
              : {}),
          }),
        runSchema,
        "a workflow run",
      ),
  };
}

export type OnfidoApi = ReturnType<typeof createOnfidoApi>;
