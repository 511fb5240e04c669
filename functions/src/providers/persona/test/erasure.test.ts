import { createPersonaApi } from "../api-client";
import { PERSONA_ERASED } from "../module";
import { standInForSuite } from "../../../../test/support/stand-in-process";

// Its erasure call against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run as
// the local stack runs it, with its authentication: what is erased, what must wait (and is tried
// again later), what fails for good.
const KEYS = { PERSONA_API_KEY: "persona_erase_key" };
const standIn = standInForSuite(KEYS);

describe("Persona's redaction", () => {
  const api = (apiKey = KEYS.PERSONA_API_KEY) =>
    createPersonaApi({ baseUrl: `${standIn.base()}/api/v1`, apiKey });

  it("redacts an inquiry, and fails for good on an unknown one or a wrong key", async () => {
    const created = await api().createInquiry(
      "firebase-uid-1",
      "itmpl_local",
      `erase-${Math.random()}`,
    );
    if (!created.ok) throw new Error(created.message);
    const { id } = created.inquiry;
    expect(await api().redactInquiry(id)).toEqual({ ok: true });
    expect(await standIn.erasureCalls(id)).toBe(1);
    expect(await api().redactInquiry("inq_unknown")).toMatchObject({ failure: "not-found" });
    expect(await api("wrong").redactInquiry(id)).toMatchObject({ failure: "unauthorized" });
    expect(PERSONA_ERASED.stillHeld).toMatch(/Persona account/);
  });
});
