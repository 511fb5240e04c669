import { HttpsError, type CallableRequest } from "firebase-functions/https";
import { createLogs } from "../../src/logs";
import { createStartVerification, type StartingProvider } from "../../src/http/start-verification";
import { returnUrlOf } from "../../src/params";
import type {
  ProviderModule,
  StartedBefore,
  Starter,
  StartOptions,
} from "../../src/providers/contract";
import type { VeriffApi } from "../../src/providers/veriff/api-client";
import { veriffStarter } from "../../src/providers/veriff/module";
import type { PersonaApi } from "../../src/providers/persona/api-client";
import { personaStarter } from "../../src/providers/persona/module";
import { stripeStarter } from "../../src/providers/stripe/module";
import type { StripeApi } from "../../src/providers/stripe/api-client";
import type { LinkStore } from "../../src/store/links";
import { memoryLeases } from "../support/leases";
import { recordingLogger } from "../support/recording";

const request = (data: unknown, uid: string | undefined = "u1") =>
  ({ data, auth: uid ? { uid, rawToken: `token-${uid}` } : undefined }) as CallableRequest<unknown>;

/** The deployment's providers that start verifications: Persona (with `starter`) and Stripe. */
const starting = (starter: Starter | { off: string }): StartingProvider[] =>
  ["persona", "stripe"].map((id) => ({
    id,
    name: id === "persona" ? "Persona" : "Stripe Identity",
    keyParams: "KEY",
    module: () =>
      Promise.resolve({
        starter: (options: StartOptions) => {
          startedWith.push(options);
          return Promise.resolve(starter);
        },
      } as unknown as ProviderModule),
  }));
/** The options each starter was asked for with. */
const startedWith: StartOptions[] = [];

/** A verification the caller started before, as the link store reads it. */
const before = (id: string, providerStatus: unknown): StartedBefore => ({
  id,
  uid: "u1",
  providerStatus,
  startedAtMs: undefined,
  kept: undefined,
});

/** The handler with a starter that records its calls, over links that record theirs. */
function setup(
  mine: StartedBefore[],
  starter?: Partial<Starter>,
  options: {
    returnUrl?: string;
    links?: ReturnType<LinkStore["link"]>[];
    /** What Auth says of the caller's account. */
    account?: "ok" | "refused";
  } = {},
) {
  const calls: unknown[][] = [];
  const outcomes = [...(options.links ?? [])];
  const links: LinkStore = {
    verificationsOf: () => Promise.resolve(mine),
    link: (key, uid, by, provider, kept, lease) => (
      calls.push(["link", key, uid, by, provider, kept]),
      linkedUnder.push(lease),
      outcomes.shift() ?? Promise.resolve("linked")
    ),
  };
  const linkedUnder: unknown[] = [];
  const log = recordingLogger();
  const full: Starter = {
    unfinished: ({ providerStatus: status }) => status === undefined || status === "pending",
    resume: ({ id }) => (
      calls.push(["resume", id]),
      Promise.resolve({ ok: true, started: { id, sessionToken: "t" } })
    ),
    create: (uid, key) => (
      calls.push(["create", uid, key]),
      Promise.resolve({ ok: true, started: { id: "inq_new" } })
    ),
    ...starter,
  };
  const leases = memoryLeases();
  const handler = createStartVerification({
    providers: starting(full),
    links,
    leases,
    accounts: (token) => {
      leases.log.push(`account ${token}`);
      return Promise.resolve(options.account ?? "ok");
    },
    logs: createLogs(log.logger),
    returnUrl: () => returnUrlOf(options.returnUrl ?? ""),
    waitMs: 1000,
  });
  return { handler, calls, leases, mine, log, linkedUnder };
}

describe("startVerification", () => {
  it("refuses an App Check token used before (limited-use tokens are consumed once)", async () => {
    const { handler, calls } = setup([]);
    const replay = {
      ...request({ provider: "persona" }),
      app: { appId: "app", token: {}, alreadyConsumed: true },
    } as unknown as CallableRequest<unknown>;
    const error = await handler(replay).catch((e: unknown) => e);
    expect((error as HttpsError).code).toBe("permission-denied");
    expect(calls).toEqual([]);
    const fresh = {
      ...request({ provider: "persona" }),
      app: { appId: "app", token: {}, alreadyConsumed: false },
    } as unknown as CallableRequest<unknown>;
    await expect(handler(fresh)).resolves.toEqual({ id: "inq_new" });
  });

  it("asks the provider's starter for the deployment's way back", async () => {
    startedWith.length = 0;
    const { handler } = setup([], undefined, { returnUrl: " https://app.example.com/verified " });
    await handler(request({ provider: "persona" }));
    expect(startedWith).toEqual([{ returnUrl: "https://app.example.com/verified" }]);
  });

  it.each(["http://app.example.com/", "javascript:alert(1)", "https://", "ftp://x"])(
    "fails closed on a way back that is not https (nor http to localhost): %s",
    async (returnUrl) => {
      const { handler, calls, log } = setup([], undefined, { returnUrl });
      const error = await handler(request({ provider: "persona" })).catch((e: unknown) => e);
      expect((error as HttpsError).code).toBe("failed-precondition");
      expect(calls).toEqual([]);
      expect(log.lines).toEqual([
        {
          level: "error",
          message: "startVerification refused: fix its configuration",
          fields: {
            problem: "VERIFICATION_RETURN_URL is not an https URL (http only to localhost)",
          },
        },
      ]);
    },
  );

  it("creates anew with a fresh key when the provider gives back a verification erased since", async () => {
    const freshness: unknown[] = [];
    const { handler, calls } = setup(
      [],
      {
        create: (uid, key, _before, fresh) => (
          calls.push(["create", uid, key]),
          freshness.push(fresh),
          Promise.resolve({ ok: true, started: { id: "inq_new" } })
        ),
      },
      { links: [Promise.resolve("erased"), Promise.resolve("linked")] },
    );
    await handler(request({ provider: "persona" }));
    const creates = calls.filter(([call]) => call === "create");
    expect(creates).toHaveLength(2);
    expect(creates[0]?.[2]).toBe("firebase-start-u1-0");
    expect(creates[1]?.[2]).toMatch(/^firebase-start-u1-0-\d+$/);
    // And says so: a provider that keys its user by the uid names them anew.
    expect(freshness).toEqual([undefined, true]);
  });

  it("refuses when the provider gives back an erased verification again", async () => {
    const { handler } = setup([], undefined, {
      links: [Promise.resolve("erased"), Promise.resolve("erased")],
    });
    const error = await handler(request({ provider: "persona" })).catch((e: unknown) => e);
    expect((error as HttpsError).code).toBe("failed-precondition");
  });

  it("creates the caller's first verification with an idempotency key per attempt, and links it", async () => {
    const { handler, calls, leases } = setup([before("inq_old", "approved")]);
    expect(await handler(request({ provider: "persona" }))).toEqual({ id: "inq_new" });
    expect(calls).toEqual([
      ["create", "u1", "firebase-start-u1-1"],
      ["link", "inq_new", "u1", "user", "persona", undefined],
    ]);
    expect(leases.held).toEqual(new Map());
  });

  it("asks Auth about the caller's account under their lease, before the provider is called", async () => {
    const { handler, leases, linkedUnder } = setup([]);
    await handler(request({ provider: "persona" }));
    expect(leases.log).toEqual(["take persona:u1", "account token-u1", "release persona:u1"]);
    // The link lands under that lease: its transaction checks the lease is still this call's.
    expect(linkedUnder).toEqual([{ uid: "u1", provider: "persona", holder: "h1" }]);
  });

  it("refuses a deleted, disabled or revoked account before any provider call, and releases its lease", async () => {
    const { handler, calls, leases } = setup([], undefined, { account: "refused" });
    const error = (await handler(request({ provider: "persona" })).catch(
      (e: unknown) => e,
    )) as HttpsError;
    expect(error.code).toBe("unauthenticated");
    expect(calls).toEqual([]);
    expect(leases.held).toEqual(new Map());
  });

  it("answers unavailable when its lease was taken over before the link (an erasure's)", async () => {
    const { handler, calls } = setup([], undefined, { links: [Promise.resolve("lease-lost")] });
    const error = (await handler(request({ provider: "persona" })).catch(
      (e: unknown) => e,
    )) as HttpsError;
    expect(error.code).toBe("unavailable");
    expect(calls.map(([what]) => what)).toEqual(["create", "link"]);
  });

  it("keeps what the provider asks to keep with the link, and hands it back to resume", async () => {
    const { handler, calls } = setup([], {
      create: () =>
        Promise.resolve({ ok: true, started: { id: "s1", url: "u" }, keep: { url: "u" } }),
    });
    expect(await handler(request({ provider: "persona" }))).toEqual({ id: "s1", url: "u" });
    expect(calls).toEqual([["link", "s1", "u1", "user", "persona", { url: "u" }]]);

    const kept = { ...before("s1", undefined), kept: { url: "u" } };
    const resumed: StartedBefore[] = [];
    const again = setup([kept], {
      resume: (b) => (resumed.push(b), Promise.resolve({ ok: true, started: { id: b.id } })),
    });
    await again.handler(request({ provider: "persona" }));
    expect(resumed).toEqual([kept]);
  });

  it("lets one call at a time start for a user: the second waits, then resumes the first's", async () => {
    const mine: StartedBefore[] = [];
    let release: () => void = () => undefined;
    const created = new Promise<void>((resolve) => (release = resolve));
    const { handler, calls } = setup(mine, {
      async create(uid, key) {
        calls.push(["create", uid, key]);
        await created;
        mine.push(before("s_first", undefined));
        return { ok: true, started: { id: "s_first" } };
      },
    });
    const first = handler(request({ provider: "persona" }));
    const second = handler(request({ provider: "persona" }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    release();
    expect(await Promise.all([first, second])).toEqual([
      { id: "s_first" },
      { id: "s_first", sessionToken: "t" },
    ]);
    expect(calls.filter(([what]) => what === "create")).toHaveLength(1);
  });

  it("answers unavailable when another call holds the user's start for longer than it waits", async () => {
    const { handler, leases, calls } = setup([]);
    leases.held.set("persona:u1", "another call");
    const error = (await handler(request({ provider: "persona" })).catch(
      (e: unknown) => e,
    )) as HttpsError;
    expect(error.code).toBe("unavailable");
    expect(calls).toEqual([]);
  });

  it("resumes the caller's unfinished verification instead of creating another", async () => {
    const { handler, calls } = setup([before("inq_open", "pending")]);
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
      leases: memoryLeases(),
      accounts: () => Promise.resolve("ok"),
      logs: createLogs(recordingLogger().logger),
      returnUrl: () => ({ url: undefined }),
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
    expect(persona.unfinished(before("inq_1", status))).toBe(open);
  });
  it.each([
    [undefined, true],
    ["requires_input", true],
    ["processing", true],
    ["verified", false],
    ["canceled", false],
  ])("Stripe: %s is unfinished: %s", (status, open) => {
    expect(stripe.unfinished(before("vs_1", status))).toBe(open);
  });
  const now = 1_700_000_000_000;
  const veriff = veriffStarter({} as VeriffApi, "", () => now);
  const day = 24 * 3600 * 1000;
  it.each([
    [undefined, 0, true],
    ["started", 6 * day, true],
    ["submitted", 0, true],
    ["resubmission_requested", day, true],
    ["started", 7 * day, false],
    ["review", 0, false],
    ["approved", 0, false],
    ["declined", 0, false],
    ["expired", 0, false],
    ["abandoned", 0, false],
  ])("Veriff: %s, %d ms old, is unfinished: %s", (status, age, open) => {
    expect(veriff.unfinished({ ...before("s", status), startedAtMs: now - age })).toBe(open);
  });
});
