import { HttpsError, type CallableRequest } from "firebase-functions/https";
import { createLogs } from "../../src/logs";
import { createStartVerification, type StartingProvider } from "../../src/http/start-verification";
import type { ProviderModule, Starter } from "../../src/providers/contract";
import type { PersonaApi } from "../../src/providers/persona/api-client";
import { personaStarter } from "../../src/providers/persona/module";
import { stripeStarter } from "../../src/providers/stripe/module";
import type { StripeApi } from "../../src/providers/stripe/api-client";
import type { LinkStore } from "../../src/store/links";
import { recordingLogger } from "../support/recording";

const request = (data: unknown, uid: string | undefined = "u1") =>
  ({ data, auth: uid ? { uid } : undefined }) as CallableRequest<unknown>;

/** The deployment's providers that start verifications: Persona (with `starter`) and Stripe. */
const starting = (starter: Starter | { off: string }): StartingProvider[] =>
  ["persona", "stripe"].map((id) => ({
    id,
    name: id === "persona" ? "Persona" : "Stripe Identity",
    keyParams: "KEY",
    module: () =>
      Promise.resolve({ starter: () => Promise.resolve(starter) } as unknown as ProviderModule),
  }));

/** The handler with a starter that records its calls, over links that record theirs. */
function setup(mine: { id: string; providerStatus: unknown }[], starter?: Partial<Starter>) {
  const calls: unknown[][] = [];
  const links: LinkStore = {
    verificationsOf: () => Promise.resolve(mine),
    link: (...args) => (calls.push(["link", ...args]), Promise.resolve("linked")),
  };
  const full: Starter = {
    unfinished: (status) => status === undefined || status === "pending",
    resume: (id) => (
      calls.push(["resume", id]),
      Promise.resolve({ ok: true, started: { id, sessionToken: "t" } })
    ),
    create: (uid, key) => (
      calls.push(["create", uid, key]),
      Promise.resolve({ ok: true, started: { id: "inq_new" } })
    ),
    ...starter,
  };
  const handler = createStartVerification({
    providers: starting(full),
    links,
    logs: createLogs(recordingLogger().logger),
  });
  return { handler, calls };
}

describe("startVerification", () => {
  it("creates the caller's first verification with an idempotency key per attempt, and links it", async () => {
    const { handler, calls } = setup([{ id: "inq_old", providerStatus: "approved" }]);
    expect(await handler(request({ provider: "persona" }))).toEqual({ id: "inq_new" });
    expect(calls).toEqual([
      ["create", "u1", "firebase-start-u1-1"],
      ["link", "inq_new", "u1", "user", "persona"],
    ]);
  });

  it("resumes the caller's unfinished verification instead of creating another", async () => {
    const { handler, calls } = setup([{ id: "inq_open", providerStatus: "pending" }]);
    expect(await handler(request({ provider: "persona" }))).toEqual({
      id: "inq_open",
      sessionToken: "t",
    });
    expect(calls[0]).toEqual(["resume", "inq_open"]);
  });

  it.each([
    ["no signed-in user", request({ provider: "persona" }, ""), "unauthenticated"],
    ["a provider that is not started here", request({ provider: "passbase" }), "invalid-argument"],
    ["an unknown provider", request({ provider: "acme" }), "invalid-argument"],
    ["no provider", request({}), "invalid-argument"],
  ])("refuses %s", async (_name, req, code) => {
    const { handler, calls } = setup([]);
    const error = await handler(req).catch((e: unknown) => e);
    expect((error as HttpsError).code).toBe(code);
    expect(calls).toEqual([]);
  });

  it("answers failed-precondition when the provider is not configured", async () => {
    const handler = createStartVerification({
      providers: starting({ off: "PERSONA_API_KEY is not set" }),
      links: {
        verificationsOf: () => Promise.reject(new Error("unused")),
        link: () => Promise.reject(new Error("unused")),
      },
      logs: createLogs(recordingLogger().logger),
    });
    const error = (await handler(request({ provider: "persona" })).catch(
      (e: unknown) => e,
    )) as HttpsError;
    expect([error.code, error.message]).toEqual([
      "failed-precondition",
      "Persona is not configured.",
    ]);
  });

  it("answers unavailable when the provider's API is, and links nothing", async () => {
    const { handler, calls } = setup([], {
      create: () =>
        Promise.resolve({ ok: false, failure: "unavailable", status: 503, message: "HTTP 503" }),
    });
    const error = (await handler(request({ provider: "persona" })).catch(
      (e: unknown) => e,
    )) as HttpsError;
    expect(error.code).toBe("unavailable");
    expect(calls).toEqual([]);
  });
});

describe("what each provider counts as unfinished", () => {
  const persona = personaStarter({} as PersonaApi, "itmpl_1");
  const stripe = stripeStarter({} as StripeApi);
  it.each([
    [undefined, true],
    ["created", true],
    ["pending", true],
    ["expired", true],
    ["completed", false],
    ["failed", false],
    ["needs_review", false],
    ["approved", false],
    ["declined", false],
  ])("Persona: %s is unfinished: %s", (status, open) => {
    expect(persona.unfinished(status)).toBe(open);
  });
  it.each([
    [undefined, true],
    ["requires_input", true],
    ["processing", true],
    ["verified", false],
    ["canceled", false],
  ])("Stripe: %s is unfinished: %s", (status, open) => {
    expect(stripe.unfinished(status)).toBe(open);
  });
});
