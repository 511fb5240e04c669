import { createSumsubApi } from "../api-client";
import { deactivateApplicant, SUMSUB_ERASED } from "../module";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Its erasure call against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run as
// the local stack runs it, with its authentication: what is erased, what must wait (and is tried
// again later), what fails for good.
const KEYS = { SUMSUB_APP_TOKEN: "sbx:erase-token", SUMSUB_SECRET_KEY: "erase-secret-key" };
const standIn = standInForSuite(KEYS);

describe("Sumsub's deactivation", () => {
  const api = (secretKey = KEYS.SUMSUB_SECRET_KEY) =>
    createSumsubApi({ baseUrl: standIn.base(), appToken: KEYS.SUMSUB_APP_TOKEN, secretKey });
  const applicant = async () => {
    const created = await api().createApplicant(`firebase-uid-${Math.random()}`, "basic-kyc-level");
    if (!created.ok) throw new Error(created.message);
    return created.value.id;
  };

  it("deactivates an applicant, saying what Sumsub still holds", async () => {
    const id = await applicant();
    expect(await deactivateApplicant(api(), id)).toEqual({ ok: true, erased: SUMSUB_ERASED });
    expect(SUMSUB_ERASED.stillHeld).toMatch(/no public deletion API/);
    expect(await standIn.erasureCalls(id)).toBe(1);
  });

  it.each([
    ["pending", "unavailable"],
    ["queued", "unavailable"],
    ["completed", "rejected"],
  ])("reads a refusal while the review is %s as %s", async (reviewStatus, failure) => {
    const id = await applicant();
    await standIn.program("erasures", id, [
      { status: 400, body: { description: "no", code: 400 } },
    ]);
    await standIn.program("identities", id, [{ status: 200, body: { reviewStatus } }]);
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
