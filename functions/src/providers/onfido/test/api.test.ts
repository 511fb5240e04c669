import * as onfidoPackage from "@onfido/api";
import { createOnfidoApi, type OnfidoLibrary } from "../api-client";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Onfido's official library against the project's own API stand-in (scripts/dev/api-stand-in.mjs),
// run as the local stack runs it: it answers application/json, and Onfido's 401 to another token.
const TOKEN = "api_sandbox.api-test-token";
const library = onfidoPackage as unknown as OnfidoLibrary;

const standIn = standInForSuite({ ONFIDO_API_TOKEN: TOKEN });

const api = (apiToken = TOKEN) =>
  createOnfidoApi(library, { apiToken, region: "EU", baseUrl: standIn.base() });

describe("Onfido's library against the local stand-in", () => {
  it("creates an applicant and a run for a uid, then finds the run with a fresh token", async () => {
    const applicant = await api().createApplicant();
    if (!applicant.ok) throw new Error(applicant.message);
    const run = await api().createWorkflowRun({
      workflowId: "00000000-0000-4000-8000-00000000f1d0",
      applicantId: applicant.value.id,
      uid: "firebase-uid-1",
      completedRedirectUrl: "https://app.example.com/done",
    });
    if (!run.ok) throw new Error(run.message);
    expect(run.value).toMatchObject({
      status: "awaiting_input",
      sdk_token: expect.any(String) as string,
      link: {
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__pages\/onfido\//) as string,
      },
    });
    const [created] = (await (
      await fetch(`${standIn.base()}/__stand-in/requests/${run.value.id}`)
    ).json()) as { body: unknown }[];
    expect(created?.body).toEqual({
      workflow_id: "00000000-0000-4000-8000-00000000f1d0",
      applicant_id: applicant.value.id,
      customer_user_id: "firebase-uid-1",
      link: { completed_redirect_url: "https://app.example.com/done" },
    });
    const found = await api().findWorkflowRun(run.value.id);
    if (!found.ok) throw new Error(found.message);
    expect(found.value.id).toBe(run.value.id);
    expect(found.value.sdk_token).not.toBe(run.value.sdk_token);
  });

  it("gets Onfido's 401 with another token, as a failure to record, not retry", async () => {
    expect(await api("api_sandbox.not-ours").createApplicant()).toMatchObject({
      ok: false,
      failure: "unauthorized",
      status: 401,
    });
  });

  it("sorts a run that does not exist and a server that is down as Onfido's client should", async () => {
    expect(await api().findWorkflowRun("00000000-0000-4000-8000-000000000404")).toMatchObject({
      ok: false,
      failure: "not-found",
    });
    const down = createOnfidoApi(library, {
      apiToken: TOKEN,
      region: "EU",
      baseUrl: "http://127.0.0.1:9",
    });
    expect(await down.findWorkflowRun("00000000-0000-4000-8000-000000000404")).toMatchObject({
      ok: false,
      failure: "unavailable",
    });
  });
});
