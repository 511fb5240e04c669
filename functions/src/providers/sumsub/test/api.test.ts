import { createSumsubApi } from "../api-client";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Sumsub's API client against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run
// as the local stack runs it: it checks every request's signature as Sumsub does, with its 401.
const TOKEN = "sbx:api-test-token";
const SECRET = "api-test-secret-key";

const standIn = standInForSuite({ SUMSUB_APP_TOKEN: TOKEN, SUMSUB_SECRET_KEY: SECRET });

const api = (appToken = TOKEN, secretKey = SECRET, now = Date.now) =>
  createSumsubApi({ baseUrl: standIn.base(), appToken, secretKey, now });

describe("Sumsub's API client against the local stand-in", () => {
  it("creates an applicant for a uid, finds it again on a second create, and reads its status", async () => {
    const created = await api().createApplicant("firebase-uid-1", "basic kyc/level");
    if (!created.ok) throw new Error(created.message);
    expect(created.value).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) as string });
    // Sumsub refuses a second applicant for the same externalUserId: it is looked up instead.
    expect(await api().createApplicant("firebase-uid-1", "basic kyc/level")).toEqual(created);
    const token = await api().accessToken("firebase-uid-1", "basic kyc/level");
    expect(token).toEqual({
      ok: true,
      value: { token: expect.stringMatching(/^_act-/) as string },
    });
    expect(await api().getStatus(created.value.id)).toEqual({
      ok: true,
      value: { reviewStatus: "init", levelName: "basic kyc/level", attemptCnt: 1 },
    });
  });

  it.each([
    ["another App Token", "sbx:not-ours", SECRET, Date.now],
    ["another secret key", TOKEN, "not-the-secret", Date.now],
    ["a clock two minutes off", TOKEN, SECRET, () => Date.now() - 120_000],
  ])(
    "gets Sumsub's 401 with %s, as a failure to record, not retry",
    async (_name, token, key, now) => {
      const failed = { ok: false, failure: "unauthorized", status: 401 };
      expect(await api(token, key, now).createApplicant("u2", "basic-kyc-level")).toMatchObject(
        failed,
      );
      expect(await api(token, key, now).getStatus("5cb56e8e0a975a35f333cb83")).toMatchObject(
        failed,
      );
    },
  );
});
