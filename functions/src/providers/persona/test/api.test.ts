import { createPersonaApi, INQUIRY_FIELDS, PERSONA_VERSION } from "../api-client";
import { scriptedApi, type Answer } from "../../../../test/support/scripted-api";

/** A local server standing in for a provider's API, answering from a script, in turn. */
const standIn = (answers: Answer[]) => scriptedApi(answers, "/api/v1");

describe("Persona API client against a local stand-in", () => {
  const persona = (baseUrl: string) => createPersonaApi({ baseUrl, apiKey: "pk" });
  const inquiry = {
    type: "inquiry",
    id: "inq_1",
    attributes: { status: "pending", "name-first": "Jane", "decisioned-at": null },
  };
  const read = {
    type: "inquiry",
    id: "inq_1",
    attributes: { status: "pending", "decisioned-at": null },
  };

  it("gets an inquiry with sparse fields, the pinned version and the key as a bearer token", async () => {
    const api = await standIn([{ status: 200, body: { data: inquiry } }]);
    expect(await persona(api.baseUrl).getInquiry("inq_1")).toEqual({
      ok: true,
      inquiry: read,
      sessionToken: null,
    });
    const query = new URLSearchParams({ "fields[inquiry]": INQUIRY_FIELDS }).toString();
    expect(api.seen).toMatchObject([
      {
        method: "GET",
        url: `/api/v1/inquiries/inq_1?${query}`,
        headers: {
          authorization: "Bearer pk",
          "persona-version": PERSONA_VERSION,
          "key-inflection": "kebab",
        },
      },
    ]);
  });

  it("creates from an inquiry template or a legacy template, naming the uid, idempotently", async () => {
    const api = await standIn([{ status: 201, body: { data: inquiry } }]);
    await persona(api.baseUrl).createInquiry("u1", "itmpl_A", "key-1");
    await persona(api.baseUrl).createInquiry("u1", "tmpl_B", "key-2");
    expect(
      api.seen.map((r) => [
        r.method,
        r.url,
        r.headers["idempotency-key"],
        JSON.parse(r.body) as unknown,
      ]),
    ).toEqual([
      [
        "POST",
        "/api/v1/inquiries",
        "key-1",
        {
          data: { attributes: { "inquiry-template-id": "itmpl_A" } },
          meta: { "auto-create-account-reference-id": "u1" },
        },
      ],
      [
        "POST",
        "/api/v1/inquiries",
        "key-2",
        {
          data: { attributes: { "template-id": "tmpl_B" } },
          meta: { "auto-create-account-reference-id": "u1" },
        },
      ],
    ]);
  });

  it("resumes an inquiry and hands back its session token", async () => {
    const api = await standIn([
      { status: 200, body: { data: inquiry, meta: { "session-token": "sess_1" } } },
    ]);
    expect(await persona(api.baseUrl).resumeInquiry("inq_1")).toEqual({
      ok: true,
      inquiry: read,
      sessionToken: "sess_1",
    });
    expect(api.seen.map((r) => [r.method, r.url])).toEqual([
      ["POST", "/api/v1/inquiries/inq_1/resume"],
    ]);
  });

  it.each([
    [401, { status: 401 }, "unauthorized", "HTTP 401: check PERSONA_API_KEY"],
    [404, { status: 404 }, "not-found", "HTTP 404: no such inquiry"],
    [
      200,
      { status: 200, body: { data: { type: "account", id: "act_1" } } },
      "malformed",
      "the body is not an inquiry",
    ],
  ])("reports HTTP %d as its failure", async (status, answer, failure, message) => {
    const api = await standIn([answer]);
    expect(await persona(api.baseUrl).getInquiry("inq_1")).toEqual({
      ok: false,
      failure,
      status,
      message,
    });
  });
});
