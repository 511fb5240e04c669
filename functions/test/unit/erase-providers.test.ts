import * as onfidoPackage from "@onfido/api";
import Stripe from "stripe";
import { createOnfidoApi, type OnfidoLibrary } from "../../src/providers/onfido/api-client";
import { deleteApplicant, ONFIDO_ERASED } from "../../src/providers/onfido/module";
import { PASSBASE_ERASED } from "../../src/providers/passbase/module";
import { createPassbaseModule } from "../../src/providers/passbase/module";
import { createPersonaApi } from "../../src/providers/persona/api-client";
import { PERSONA_ERASED } from "../../src/providers/persona/module";
import { clientOptions, createStripeApi } from "../../src/providers/stripe/api-client";
import { redactSession } from "../../src/providers/stripe/module";
import { createSumsubApi } from "../../src/providers/sumsub/api-client";
import { deactivateApplicant, SUMSUB_ERASED } from "../../src/providers/sumsub/module";
import { createVeriffApi } from "../../src/providers/veriff/api-client";
import { deleteSession } from "../../src/providers/veriff/module";
import { startStandInProcess } from "../support/stand-in-process";

// Each provider's erasure call against the project's own API stand-in (scripts/dev/api-stand-in.mjs),
// run as the local stack runs it, with each provider's authentication: what is erased, what must
// wait (and is tried again later), what fails for good.
const KEYS = {
  STRIPE_SECRET_KEY: "rk_test_erase",
  PERSONA_API_KEY: "persona_erase_key",
  VERIFF_API_KEY: "3c4d7e6f-0000-4000-8000-00000000e1a5",
  VERIFF_SHARED_SECRET: "veriff-erase-secret",
  SUMSUB_APP_TOKEN: "sbx:erase-token",
  SUMSUB_SECRET_KEY: "erase-secret-key",
  ONFIDO_API_TOKEN: "api_sandbox.erase-token",
};

/** The stand-in's base URL, once it listens. */
let base = "";
let stopStandIn: () => void = () => undefined;
beforeAll(async () => {
  const standIn = await startStandInProcess(KEYS);
  base = standIn.base;
  stopStandIn = standIn.stop;
});
afterAll(() => {
  stopStandIn();
});

const program = async (kind: "identities" | "erasures", id: string, responses: unknown[]) => {
  await fetch(`${base}/__stand-in/${kind}/${id}`, {
    method: "PUT",
    body: JSON.stringify({ responses }),
  });
};
const erasureCalls = async (id: string) =>
  ((await (await fetch(`${base}/__stand-in/requests/${id}`)).json()) as { erase?: true }[]).filter(
    (request) => request.erase,
  ).length;

describe("Stripe's redaction", () => {
  const api = (key = KEYS.STRIPE_SECRET_KEY) =>
    createStripeApi(new Stripe(key, clientOptions(base)));
  const session = async () => {
    const created = await api().createSession("firebase-uid-1", `erase-${Math.random()}`);
    if (!created.ok) throw new Error(created.message);
    return created.session.id;
  };

  it("redacts a session: Stripe's redaction is then processing", async () => {
    const id = await session();
    expect(await redactSession(api(), id)).toEqual({
      ok: true,
      erased: { outcome: "redaction processing" },
    });
    expect(await erasureCalls(id)).toBe(1);
  });

  it("waits while the session is processing, and fails for good on another refusal", async () => {
    const id = await session();
    const refused = { error: { type: "invalid_request_error", message: "no" } };
    await program("erasures", id, [{ status: 400, body: refused }]);
    const processing = { id, object: "identity.verification_session", status: "processing" };
    await program("identities", id, [{ status: 200, body: processing }]);
    expect(await redactSession(api(), id)).toMatchObject({
      ok: false,
      failure: "unavailable",
      status: 400,
    });
    await program("identities", id, [{ status: 200, body: { ...processing, status: "verified" } }]);
    expect(await redactSession(api(), id)).toMatchObject({
      ok: false,
      failure: "rejected",
      status: 400,
    });
  });

  it("counts a session redacted before as erased", async () => {
    const id = await session();
    const refused = { error: { type: "invalid_request_error", message: "no" } };
    await program("erasures", id, [{ status: 400, body: refused }]);
    const redacted = {
      id,
      object: "identity.verification_session",
      status: "verified",
      redaction: { status: "redacted" },
    };
    await program("identities", id, [{ status: 200, body: redacted }]);
    expect(await redactSession(api(), id)).toEqual({
      ok: true,
      erased: { outcome: "redaction redacted" },
    });
  });

  it("fails for good on an unknown session (404) and on a wrong key (401)", async () => {
    expect(await redactSession(api(), "vs_unknown")).toMatchObject({
      ok: false,
      failure: "not-found",
      status: 404,
    });
    expect(await redactSession(api("rk_test_wrong"), "vs_unknown")).toMatchObject({
      ok: false,
      failure: "unauthorized",
      status: 401,
    });
  });
});

describe("Persona's redaction", () => {
  const api = (apiKey = KEYS.PERSONA_API_KEY) =>
    createPersonaApi({ baseUrl: `${base}/api/v1`, apiKey });

  it("redacts an inquiry, and fails for good on an unknown one or a wrong key", async () => {
    const created = await api().createInquiry(
      "firebase-uid-1",
      "itmpl_local",
      `erase-${Math.random()}`,
    );
    if (!created.ok) throw new Error(created.message);
    const { id } = created.inquiry;
    expect(await api().redactInquiry(id)).toEqual({ ok: true });
    expect(await erasureCalls(id)).toBe(1);
    expect(await api().redactInquiry("inq_unknown")).toMatchObject({ failure: "not-found" });
    expect(await api("wrong").redactInquiry(id)).toMatchObject({ failure: "unauthorized" });
    expect(PERSONA_ERASED.stillHeld).toMatch(/Persona account/);
  });
});

describe("Veriff's deletion", () => {
  const api = (sharedSecret = KEYS.VERIFF_SHARED_SECRET) =>
    createVeriffApi({ baseUrl: base, apiKey: KEYS.VERIFF_API_KEY, sharedSecret });
  const session = async () => {
    const created = await api().createSession("firebase-uid-1", "");
    if (!created.ok) throw new Error(created.message);
    return created.session.id;
  };

  it("deletes a session, signed over its id; a second deletion's 404 says it is gone already", async () => {
    const id = await session();
    expect(await deleteSession(api(), id)).toEqual({ ok: true, erased: { outcome: "deleted" } });
    // A retry whose first answer was lost: done, not a failure for an operator.
    expect(await deleteSession(api(), id)).toEqual({
      ok: true,
      erased: { outcome: "already deleted" },
    });
    expect(await erasureCalls(id)).toBe(2);
  });

  it.each([
    ["1305", "unavailable"],
    ["1306", "unavailable"],
    ["1102", "rejected"],
  ])("reads Veriff's code %s in a 400 as %s", async (code, failure) => {
    const id = await session();
    await program("erasures", id, [{ status: 400, body: { status: "fail", code, message: "x" } }]);
    expect(await deleteSession(api(), id)).toEqual({
      ok: false,
      failure,
      status: 400,
      message: "HTTP 400",
      code,
    });
  });

  it("gets Veriff's 401 when signed with another secret", async () => {
    const id = await session();
    expect(await deleteSession(api("another"), id)).toMatchObject({
      failure: "unauthorized",
      status: 401,
    });
  });
});

describe("Sumsub's deactivation", () => {
  const api = (secretKey = KEYS.SUMSUB_SECRET_KEY) =>
    createSumsubApi({ baseUrl: base, appToken: KEYS.SUMSUB_APP_TOKEN, secretKey });
  const applicant = async () => {
    const created = await api().createApplicant(`firebase-uid-${Math.random()}`, "basic-kyc-level");
    if (!created.ok) throw new Error(created.message);
    return created.value.id;
  };

  it("deactivates an applicant, saying what Sumsub still holds", async () => {
    const id = await applicant();
    expect(await deactivateApplicant(api(), id)).toEqual({ ok: true, erased: SUMSUB_ERASED });
    expect(SUMSUB_ERASED.stillHeld).toMatch(/no public deletion API/);
    expect(await erasureCalls(id)).toBe(1);
  });

  it.each([
    ["pending", "unavailable"],
    ["queued", "unavailable"],
    ["completed", "rejected"],
  ])("reads a refusal while the review is %s as %s", async (reviewStatus, failure) => {
    const id = await applicant();
    await program("erasures", id, [{ status: 400, body: { description: "no", code: 400 } }]);
    await program("identities", id, [{ status: 200, body: { reviewStatus } }]);
    expect(await deactivateApplicant(api(), id)).toMatchObject({ ok: false, failure, status: 400 });
  });

  it("gets Sumsub's 401 for a request signed with another secret", async () => {
    const id = await applicant();
    expect(await deactivateApplicant(api("another"), id)).toMatchObject({
      failure: "unauthorized",
      status: 401,
    });
  });
});

describe("Onfido's deletion of the applicant", () => {
  const library = onfidoPackage as unknown as OnfidoLibrary;
  const api = (apiToken = KEYS.ONFIDO_API_TOKEN) =>
    createOnfidoApi(library, { apiToken, region: "EU", baseUrl: base });
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
    expect(await erasureCalls(kept.applicantId)).toBe(1);
    const found = await run();
    expect(await deleteApplicant(api(), found.runId, undefined)).toEqual({
      ok: true,
      erased: ONFIDO_ERASED,
    });
    expect(await erasureCalls(found.applicantId)).toBe(1);
    // Deleted already (Onfido's 404): done, with what Onfido's archive still holds.
    expect(await deleteApplicant(api(), found.runId, undefined)).toEqual({
      ok: true,
      erased: { ...ONFIDO_ERASED, outcome: "already deleted" },
    });
  });

  it("waits while checks are in progress, and gets Onfido's 401 with another token", async () => {
    const { runId, applicantId } = await run();
    const busy = { error: { type: "deletion_incomplete_checks", message: "checks in progress" } };
    await program("erasures", applicantId, [{ status: 422, body: busy }]);
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

describe("Passbase, which has no erasure call", () => {
  it("answers without a key or a request, saying what Passbase still holds", async () => {
    const none = { value: () => "" };
    const module = createPassbaseModule({
      webhookSecret: none,
      allowUnencrypted: { value: () => false },
      apiKey: none,
      apiBaseUrl: none,
      storeOwner: { value: () => false },
      metadataUidField: { value: () => "uid" },
    });
    const eraser = await module.eraser();
    if ("off" in eraser) throw new Error(eraser.off);
    expect(await eraser.erase("b76e244e-26a3-49ef-9c72-3e599bf0b5f2", undefined)).toEqual({
      ok: true,
      erased: PASSBASE_ERASED,
    });
    expect(PASSBASE_ERASED).toEqual({
      outcome: "none",
      stillHeld: expect.stringMatching(/Passbase/) as string,
    });
  });
});
