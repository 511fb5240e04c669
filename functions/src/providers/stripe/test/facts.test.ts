import { deriveFacts } from "../../../verification/facts";
import { FACTS_EXPAND, SENSITIVE_PERMISSION } from "../facts";
import { stripeAgainstStandIn } from "./stand-in-api";

// Stripe's verified values against the project's API stand-in, through the official client: the
// expansions they need, the permission a key needs for them, and a redacted session's placeholders.
const { standIn, api, session } = stripeAgainstStandIn("rk_test_facts");
const NOW = new Date("2026-12-07T12:00:00Z");

describe("Stripe's verified values", () => {
  const requests = async (id: string) =>
    (await (await fetch(`${standIn.base()}/__stand-in/requests/${id}`)).json()) as {
      expand?: string[];
    }[];

  it("are read with the date of birth and the expiry named in expand[], and give the facts", async () => {
    const id = await session();
    const read = await api().getVerifiedValues(id);
    expect(read).toEqual({
      ok: true,
      raw: {
        birthDate: { day: 14, month: 2, year: 1990 },
        documentExpiresOn: { day: 30, month: 6, year: 2031 },
        issuingCountry: "DE",
        documentType: "passport",
      },
    });
    expect((await requests(id)).pop()?.expand).toEqual(FACTS_EXPAND);
    expect(deriveFacts(read.ok ? read.raw : {}, [18, 21], NOW)).toEqual({
      ageOver: { "18": true, "21": true },
      documentExpiresOn: "2031-06-30",
      issuingCountry: "DE",
      documentType: "passport",
      factsAt: NOW,
    });
  });

  it("are withheld from a key without the sensitive results' permission, saying which it needs", async () => {
    const id = await session();
    // A secret key (not a restricted one with the permission) gets Stripe's 403.
    expect(await api("sk_test_facts").getVerifiedValues(id)).toMatchObject({
      ok: false,
      failure: "unauthorized",
      status: 401,
    });
    const denied = {
      error: {
        type: "invalid_request_error",
        message: "The provided key does not have the required permissions for this endpoint.",
      },
    };
    await standIn.program("facts", id, [{ status: 403, body: denied }]);
    expect(await api().getVerifiedValues(id)).toEqual({
      ok: false,
      withheld: SENSITIVE_PERMISSION,
    });
    expect(SENSITIVE_PERMISSION).toMatch(/Access recent sensitive verification results/);
  });

  it("give nothing for a redacted session, whose date of birth is the placeholder {1, 1, 1}", async () => {
    const id = await session();
    const redacted = {
      id,
      object: "identity.verification_session",
      status: "verified",
      redaction: { status: "redacted" },
    };
    await standIn.program("identities", id, [{ status: 200, body: redacted }]);
    const read = await api().getVerifiedValues(id);
    expect(read).toEqual({ ok: true, raw: {} });
    // What the stand-in answered was Stripe's placeholder: read without the redaction check,
    // it would have made everyone 2,000 years old; the neutral code refuses it on its own too.
    const placeholder = deriveFacts({ birthDate: { day: 1, month: 1, year: 1 } }, [18], NOW);
    expect(placeholder.ageOver).toBeUndefined();
  });
});
