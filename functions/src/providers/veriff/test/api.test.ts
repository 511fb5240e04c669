import { createVeriffApi } from "../api-client";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Veriff's API client against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run
// as the local stack runs it: it checks X-AUTH-CLIENT and the HMAC as Veriff does, with Veriff's 401.
const KEY = "3c4d7e6f-0000-4000-8000-000000000001";
const SECRET = "veriff-api-test-shared-secret";

const standIn = standInForSuite({ VERIFF_API_KEY: KEY, VERIFF_SHARED_SECRET: SECRET });

const api = (apiKey = KEY, sharedSecret = SECRET) =>
  createVeriffApi({ baseUrl: standIn.base(), apiKey, sharedSecret });

describe("Veriff's API client against the local stand-in", () => {
  it("creates a session for a uid, signed, and reads that it has no decision yet", async () => {
    const created = await api().createSession("firebase-uid-1", "https://app.example.com/done");
    if (!created.ok) throw new Error(created.message);
    expect(created.session).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__pages\/veriff\//) as string,
      sessionToken: expect.any(String) as string,
    });
    const [seen] = (await (
      await fetch(`${standIn.base()}/__stand-in/requests/${created.session.id}`)
    ).json()) as { body: unknown }[];
    expect(seen?.body).toEqual({
      verification: { vendorData: "firebase-uid-1", callback: "https://app.example.com/done" },
    });
    expect(await api().getDecision(created.session.id)).toEqual({
      ok: true,
      decision: null,
      verified: {},
    });
  });

  it("reads a decision without its personal data", async () => {
    const id = "12df6045-3846-3e45-946a-14fa6136d78b";
    await fetch(`${standIn.base()}/__stand-in/identities/${id}`, {
      method: "PUT",
      body: JSON.stringify({
        responses: [
          {
            status: 200,
            body: {
              status: "success",
              verification: {
                id,
                status: "declined",
                code: 9102,
                reasonCode: 102,
                decisionTime: "2024-11-06T07:17:36.916Z",
                person: { firstName: "Jane", dateOfBirth: "1990-02-14", idNumber: "X1" },
                // With Veriff's validity extraction enabled for the integration.
                document: {
                  type: "PASSPORT",
                  country: "EE",
                  number: "AB1",
                  validUntil: "2030-01-31",
                },
              },
            },
          },
        ],
      }),
    });
    const read = await api().getDecision(id);
    // The verified values facts come from, and nothing else of the person or the document.
    expect(read).toEqual({
      ok: true,
      decision: {
        id,
        status: "declined",
        code: 9102,
        reasonCode: 102,
        decisionTime: Date.parse("2024-11-06T07:17:36.916Z"),
      },
      verified: {
        birthDate: "1990-02-14",
        documentExpiresOn: "2030-01-31",
        issuingCountry: "EE",
        documentType: "passport",
      },
    });
    expect(JSON.stringify(read)).not.toMatch(/Jane|X1|AB1/);
  });

  it.each([
    ["another API key", "3c4d7e6f-0000-4000-8000-00000000ffff", SECRET],
    ["another shared secret", KEY, "not-the-shared-secret"],
  ])("gets Veriff's 401 with %s, as a failure to record, not retry", async (_name, key, secret) => {
    const failed = { ok: false, failure: "unauthorized", status: 401 };
    expect(await api(key, secret).createSession("u", "")).toMatchObject(failed);
    expect(
      await api(key, secret).getDecision("12df6045-3846-3e45-946a-14fa6136d78b"),
    ).toMatchObject(failed);
  });
});
