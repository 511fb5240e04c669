import { createVeriffApi } from "../api-client";
import { deleteSession } from "../module";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Its erasure call against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run as
// the local stack runs it, with its authentication: what is erased, what must wait (and is tried
// again later), what fails for good.
const KEYS = {
  VERIFF_API_KEY: "3c4d7e6f-0000-4000-8000-00000000e1a5",
  VERIFF_SHARED_SECRET: "veriff-erase-secret",
};
const standIn = standInForSuite(KEYS);

describe("Veriff's deletion", () => {
  const api = (sharedSecret = KEYS.VERIFF_SHARED_SECRET) =>
    createVeriffApi({ baseUrl: standIn.base(), apiKey: KEYS.VERIFF_API_KEY, sharedSecret });
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
    expect(await standIn.erasureCalls(id)).toBe(2);
  });

  it.each([
    ["1305", "unavailable"],
    ["1306", "unavailable"],
    ["1102", "rejected"],
  ])("reads Veriff's code %s in a 400 as %s", async (code, failure) => {
    const id = await session();
    await standIn.program("erasures", id, [
      { status: 400, body: { status: "fail", code, message: "x" } },
    ]);
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
