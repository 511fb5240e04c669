import { redactSession } from "../module";
import { stripeAgainstStandIn } from "./stand-in-api";

// Its erasure call against the project's own API stand-in (scripts/dev/api-stand-in.mjs), run as
// the local stack runs it, with its authentication: what is erased, what must wait (and is tried
// again later), what fails for good.
const { standIn, api, session } = stripeAgainstStandIn("rk_test_erase");

describe("Stripe's redaction", () => {
  it("redacts a session: Stripe's redaction is then processing", async () => {
    const id = await session();
    expect(await redactSession(api(), id)).toEqual({
      ok: true,
      erased: { outcome: "redaction processing" },
    });
    expect(await standIn.erasureCalls(id)).toBe(1);
  });

  it("waits while the session is processing, and fails for good on another refusal", async () => {
    const id = await session();
    const refused = { error: { type: "invalid_request_error", message: "no" } };
    await standIn.program("erasures", id, [{ status: 400, body: refused }]);
    const processing = { id, object: "identity.verification_session", status: "processing" };
    await standIn.program("identities", id, [{ status: 200, body: processing }]);
    expect(await redactSession(api(), id)).toMatchObject({
      ok: false,
      failure: "unavailable",
      status: 400,
    });
    await standIn.program("identities", id, [
      { status: 200, body: { ...processing, status: "verified" } },
    ]);
    expect(await redactSession(api(), id)).toMatchObject({
      ok: false,
      failure: "rejected",
      status: 400,
    });
  });

  it("counts a session redacted before as erased", async () => {
    const id = await session();
    const refused = { error: { type: "invalid_request_error", message: "no" } };
    await standIn.program("erasures", id, [{ status: 400, body: refused }]);
    const redacted = {
      id,
      object: "identity.verification_session",
      status: "verified",
      redaction: { status: "redacted" },
    };
    await standIn.program("identities", id, [{ status: 200, body: redacted }]);
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
