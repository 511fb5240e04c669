import * as onfidoPackage from "@onfido/api";
import { createOnfidoApi, type OnfidoLibrary } from "../api-client";
import { deleteApplicant, ONFIDO_ERASED } from "../module";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Its erasure call against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run as
// the local stack runs it, with its authentication: what is erased, what must wait (and is tried
// again later), what fails for good.
const KEYS = { ONFIDO_API_TOKEN: "api_sandbox.erase-token" };
const standIn = standInForSuite(KEYS);

describe("Onfido's deletion of the applicant", () => {
  const library = onfidoPackage as unknown as OnfidoLibrary;
  const api = (apiToken = KEYS.ONFIDO_API_TOKEN) =>
    createOnfidoApi(library, { apiToken, region: "EU", baseUrl: standIn.base() });
  const run = async () => {
    const applicant = await api().createApplicant();
    if (!applicant.ok) throw new Error(applicant.message);
    const created = await api().createWorkflowRun({
      workflowId: "00000000-0000-4000-8000-00000000f1d0",
      applicantId: applicant.value.id,
      uid: "firebase-uid-1",
      completedRedirectUrl: "",
    });
    if (!created.ok) throw new Error(created.message);
    return { runId: created.value.id, applicantId: applicant.value.id };
  };

  it("deletes the applicant its start kept, or the run's when nothing was kept", async () => {
    const kept = await run();
    expect(await deleteApplicant(api(), kept.runId, { applicantId: kept.applicantId })).toEqual({
      ok: true,
      erased: ONFIDO_ERASED,
    });
    expect(await standIn.erasureCalls(kept.applicantId)).toBe(1);
    const found = await run();
    expect(await deleteApplicant(api(), found.runId, undefined)).toEqual({
      ok: true,
      erased: ONFIDO_ERASED,
    });
    expect(await standIn.erasureCalls(found.applicantId)).toBe(1);
    // Deleted already (Onfido's 404): done, with what Onfido's archive still holds.
    expect(await deleteApplicant(api(), found.runId, undefined)).toEqual({
      ok: true,
      erased: { ...ONFIDO_ERASED, outcome: "already deleted" },
    });
  });

  it("waits while checks are in progress, and gets Onfido's 401 with another token", async () => {
    const { runId, applicantId } = await run();
    const busy = { error: { type: "deletion_incomplete_checks", message: "checks in progress" } };
    await standIn.program("erasures", applicantId, [{ status: 422, body: busy }]);
    expect(await deleteApplicant(api(), runId, { applicantId })).toEqual({
      ok: false,
      failure: "unavailable",
      status: 422,
      message: "checks in progress: deletion waits",
      code: "deletion_incomplete_checks",
    });
    expect(await deleteApplicant(api("api_sandbox.wrong"), runId, { applicantId })).toMatchObject({
      failure: "unauthorized",
      status: 401,
    });
  });
});
