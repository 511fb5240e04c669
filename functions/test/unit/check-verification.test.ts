import type { ExpirySweep } from "../../src/background/expiry";
import { HttpsError } from "firebase-functions/https";
import type { Request } from "firebase-functions/tasks";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import {
  createConfirmer,
  type Checked,
  type CheckOutcome,
  type Confirmer,
} from "../../src/background/confirm";
import type { EraseOutcome } from "../../src/background/erase";
import type { Reconciler } from "../../src/background/reconcile";
import { createLogs } from "../../src/logs";
import type { ApiFailed } from "../../src/providers/api-request";
import type { ProviderApi, ProviderModule } from "../../src/providers/contract";
import type { DetailsError, DetailsStanding, IdentityStore } from "../../src/store/identities";
import { createCheckVerification } from "../../src/triggers/check-verification";
import { createReconcileVerifications } from "../../src/triggers/reconcile-verifications";
import { recordingLogger, recordingSink } from "../support/recording";

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const REF = KEY.slice(0, 8);

const task = (data: unknown, retryCount = 0) =>
  ({ data, retryCount, queueName: "checkVerification" }) as Request<unknown>;
/** An API that always gives `answer` and keeps the keys it was asked about. */
const api = (answer: ApiFailed) => {
  const asked: string[] = [];
  const client: ProviderApi = {
    lookup: (key) => {
      asked.push(key);
      return Promise.resolve(answer);
    },
  };
  return { client, asked };
};
const PASSBASE: Checked = {
  id: "passbase",
  name: "Passbase",
  keyParams: "PASSBASE_SECRET_API_KEY",
};

describe("checkVerification, the task handler", () => {
  /** Three providers, each with an API (or, unconfigured, without its key); Passbase owns tasks without `provider`. */
  function setup(outcome: CheckOutcome, configured = true, eraseOutcome: EraseOutcome = "done") {
    const calls: unknown[][] = [];
    const confirmer = {
      confirm: (provider: Checked, ...args: unknown[]) => (
        calls.push(["confirm", provider.id, ...args.slice(1)]),
        Promise.resolve(outcome)
      ),
    } as unknown as Confirmer;
    const provider = (id: string, keyParams: string) => ({
      id,
      name: id,
      keyParams,
      module: () =>
        Promise.resolve({
          eraser: () => Promise.resolve({ erase: () => Promise.reject(new Error("unused")) }),
          api: () =>
            Promise.resolve(
              configured ? api(unavailable).client : { off: `${keyParams} is not set` },
            ),
        } as unknown as ProviderModule),
    });
    const providers = [
      provider("passbase", "PASSBASE_SECRET_API_KEY"),
      provider("stripe", "STRIPE_SECRET_KEY"),
      provider("persona", "PERSONA_API_KEY"),
    ];
    const log = recordingLogger();
    const handler = createCheckVerification({
      providerOf: (id) => providers.find((p) => p.id === (id ?? "passbase")),
      confirmer,
      erasure: {
        eraseAt: (provider, eraser, key, attempt) => (
          calls.push(["erase", provider.id, key, attempt, "off" in eraser ? eraser.off : "on"]),
          Promise.resolve(eraseOutcome)
        ),
      },
      logs: createLogs(log.logger),
    });
    return { handler, calls, log };
  }

  it("checks a decision's details at the provider the task names, numbering the attempt from the queue's retry count", async () => {
    const { handler, calls } = setup("stored");
    await handler(task({ key: KEY, eventId: "e1" }, 2));
    await handler(task({ key: "vs_1", eventId: "evt_1", provider: "stripe" }, 1));
    await handler(task({ key: "vs_1", provider: "stripe" }));
    await handler(task({ key: "inq_1", eventId: "evt_2", provider: "persona" }, 4));
    expect(calls).toEqual([
      ["confirm", "passbase", KEY, "e1", 3],
      ["confirm", "stripe", "vs_1", "evt_1", 2],
      ["confirm", "stripe", "vs_1", undefined, 1],
      ["confirm", "persona", "inq_1", "evt_2", 5],
    ]);
  });

  it("erases at the provider an erase task names, numbering the attempt, and never looks it up", async () => {
    const { handler, calls } = setup("stored");
    await handler(task({ key: "vs_1", provider: "stripe", erase: true }, 1));
    await handler(task({ key: KEY, erase: true }));
    expect(calls).toEqual([
      ["erase", "stripe", "vs_1", 2, "on"],
      ["erase", "passbase", KEY, 1, "on"],
    ]);
  });

  it("answers 503 to an erase task the provider could not take yet, and completes every other", async () => {
    const retried = setup("stored", true, "retry");
    const error = await retried.handler(task({ key: KEY, erase: true })).catch((e: unknown) => e);
    expect((error as HttpsError).httpErrorCode.status).toBe(503);
    for (const outcome of ["done", "waiting", "failed", "skipped"] as const) {
      const { handler } = setup("stored", true, outcome);
      await expect(handler(task({ key: KEY, erase: true }))).resolves.toBeUndefined();
    }
  });

  it("records an erasure at a provider that is no longer chosen as failed, without its code", async () => {
    const { handler, calls } = setup("stored");
    await handler(task({ key: "x1", provider: "acme", erase: true }));
    expect(calls).toEqual([["erase", "acme", "x1", 1, "acme is not among VERIFICATION_PROVIDERS"]]);
  });

  it("ignores an erase flag that is not true", async () => {
    const { handler, calls } = setup("stored");
    await handler(task({ key: KEY, erase: "yes" }));
    expect(calls).toEqual([]);
  });

  it("answers 503 (unavailable) so that the queue retries", async () => {
    const { handler } = setup("retry");
    const error = await handler(task({ key: KEY })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpsError);
    expect((error as HttpsError).httpErrorCode.status).toBe(503);
  });

  it.each(["failed", "skipped", "unchanged", "decided"] as const)(
    "completes the task when %s",
    async (outcome) => {
      const { handler } = setup(outcome);
      await expect(handler(task({ key: KEY }))).resolves.toBeUndefined();
    },
  );

  it.each([[null], [{}], [{ key: 7 }], [{ key: "" }], [{ key: KEY, provider: "acme" }]])(
    "ignores task data that names no verification of a chosen provider: %j",
    async (data) => {
      const { handler, calls, log } = setup("stored");
      await handler(task(data));
      expect(calls).toEqual([]);
      expect(log.lines).toEqual([
        {
          level: "warn",
          message: "check task ignored: its data is not a verification key",
          fields: { queue: "checkVerification" },
        },
      ]);
    },
  );

  it.each([
    [{ key: KEY, eventId: "e1" }, REF, "PASSBASE_SECRET_API_KEY is not set"],
    [
      { key: "inq_1", eventId: "evt_1", provider: "persona" },
      "inq_1",
      "PERSONA_API_KEY is not set",
    ],
  ])(
    "skips with an info log when the provider's API key is not set: %j",
    async (data, ref, reason) => {
      const { handler, calls, log } = setup("stored", false);
      await handler(task(data));
      expect(calls).toEqual([]);
      expect(log.lines).toEqual([
        { level: "info", message: "identity details skipped", fields: { ref, reason } },
      ]);
    },
  );
});

const unavailable: ApiFailed = {
  ok: false,
  failure: "unavailable",
  status: 503,
  message: "HTTP 503",
};
const unauthorized: ApiFailed = {
  ok: false,
  failure: "unauthorized",
  status: 401,
  message: "HTTP 401: check PASSBASE_SECRET_API_KEY",
};

describe("the confirmer's answer to a failed lookup", () => {
  function setup(standing: DetailsStanding = "wanted", now?: () => number) {
    const errors: DetailsError[] = [];
    const identities: IdentityStore = {
      standing: () => Promise.resolve(standing),
      saveDetails: () => Promise.resolve("wanted"),
      saveError: (_key, _eventId, error) => (errors.push(error), Promise.resolve("wanted")),
      saveFacts: () => Promise.reject(new Error("unused")),
    };
    const log = recordingLogger();
    const events = recordingSink();
    const confirmer = createConfirmer({
      events: events.sink,
      identities,
      links: {
        link: () => Promise.reject(new Error("unused")),
        verificationsOf: () => Promise.reject(new Error("unused")),
      },
      states: { providerOf: () => "passbase", read: () => Promise.resolve(undefined) },
      read: () => Promise.resolve({ data: () => undefined } as unknown as DocumentSnapshot),
      userExists: () => Promise.resolve(true),
      maxAttempts: 5,
      ageThresholds: () => [],
      logs: createLogs(log.logger),
      ...(now ? { now } : {}),
    });
    return { confirmer, errors, log, received: events.of("passbase") };
  }

  it("dates an answer when its request was sent, so that a webhook from its flight wins", async () => {
    let clock = 1_000;
    const observedAt: number[] = [];
    const { confirmer, received } = setup("wanted", () => clock);
    const slow: ProviderApi = {
      lookup: () => {
        clock = 9_000; // the request took 8 s
        return Promise.resolve({
          ok: true,
          answer: {
            status: "approved",
            providerStatus: "approved",
            observe: (atMs) => (observedAt.push(atMs), { id: KEY, auditId: "a", audit: {} }),
            details: {},
          },
        });
      },
    };
    expect(await confirmer.confirm(PASSBASE, slow, KEY, undefined, 1)).toBe("decided");
    expect(observedAt).toEqual([1_000]);
    expect(received).toHaveLength(1);
  });

  it("asks for a retry while a transient failure has attempts left, recording nothing", async () => {
    const { confirmer, errors, log } = setup();
    expect(await confirmer.confirm(PASSBASE, api(unavailable).client, KEY, "e1", 4)).toBe("retry");
    expect(errors).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "warn",
        message: "provider API unavailable; the check queue retries the task",
        fields: { ref: REF, provider: "passbase", status: 503, attempts: 4 },
      },
    ]);
  });

  it("records a transient failure on the last attempt", async () => {
    const { confirmer, errors } = setup();
    expect(await confirmer.confirm(PASSBASE, api(unavailable).client, KEY, "e1", 5)).toBe("failed");
    expect(errors).toEqual([
      { failure: "unavailable", status: 503, message: "HTTP 503", attempts: 5 },
    ]);
  });

  it("records a 401 at once and logs it at ERROR, naming the key to check", async () => {
    const { confirmer, errors, log } = setup();
    expect(await confirmer.confirm(PASSBASE, api(unauthorized).client, KEY, "e1", 1)).toBe(
      "failed",
    );
    expect(errors).toEqual([
      {
        failure: "unauthorized",
        status: 401,
        message: "HTTP 401: check PASSBASE_SECRET_API_KEY",
        attempts: 1,
      },
    ]);
    expect(log.lines).toMatchObject([
      {
        level: "error",
        message: "Passbase refused the API key: check PASSBASE_SECRET_API_KEY",
        fields: { ref: REF, failure: "unauthorized" },
      },
    ]);
  });

  it.each(["stored", "superseded"] as const)(
    "does not ask the API about a decision whose details are %s",
    async (standing) => {
      const { confirmer } = setup(standing);
      const { client, asked } = api(unauthorized);
      expect(await confirmer.confirm(PASSBASE, client, KEY, "e1", 1)).toBe("skipped");
      expect(asked).toEqual([]);
    },
  );
});

describe("reconcileVerifications", () => {
  it("skips the reconciler with an info log when no provider's API key is set, yet flags expired documents", async () => {
    const log = recordingLogger();
    let ran = false;
    let swept = 0;
    const expiry: ExpirySweep = {
      run: (limit) => {
        swept = limit;
        return Promise.resolve({ selected: 0, flagged: 0 });
      },
    };
    const reconciler = {
      run: () => {
        ran = true;
        return Promise.resolve({ selected: 0, queued: 0, givenUp: 0, unlinked: 0 });
      },
    } as Pick<Reconciler, "run"> as Reconciler;
    await createReconcileVerifications({
      apiConfigured: () => false,
      reconciler,
      expiry,
      options: () => ({ dueBy: 0, limit: 10 }),
      logs: createLogs(log.logger),
    })();
    expect(ran).toBe(false);
    expect(swept).toBe(10);
    expect(log.lines).toEqual([
      {
        level: "info",
        message: "reconciliation skipped",
        fields: { reason: "no provider's API key is set" },
      },
    ]);
  });
});

describe("the confirmer's facts of an approval", () => {
  const STRIPE: Checked = { id: "stripe", name: "Stripe", keyParams: "STRIPE_SECRET_KEY" };
  const approved = {
    provider: "stripe",
    status: "approved" as const,
    providerStatus: "verified",
    at: 100,
    order: [100],
    eventId: "e1",
  };
  /** A verification approved by `e1`, whose details are still wanted. */
  const snapshot = {
    data: () => ({ provider: "stripe" }),
    get: (field: string) => (field === "eventId" ? "e1" : undefined),
  } as unknown as DocumentSnapshot;

  function setup(facts: () => Promise<unknown>) {
    const saved: unknown[] = [];
    const identities: IdentityStore = {
      standing: () => Promise.resolve("wanted"),
      saveDetails: (_key, _eventId, _projection, derived) => (
        saved.push(derived),
        Promise.resolve("wanted")
      ),
      saveError: () => Promise.resolve("wanted"),
      saveFacts: () => Promise.reject(new Error("unused")),
    };
    const log = recordingLogger();
    const confirmer = createConfirmer({
      events: recordingSink().sink,
      identities,
      links: {
        link: () => Promise.reject(new Error("unused")),
        verificationsOf: () => Promise.reject(new Error("unused")),
      },
      states: { providerOf: () => "stripe", read: () => Promise.resolve(approved) },
      read: () => Promise.resolve(snapshot),
      userExists: () => Promise.resolve(true),
      maxAttempts: 5,
      ageThresholds: () => [18],
      logs: createLogs(log.logger),
      now: () => Date.parse("2026-12-07T12:00:00Z"),
    });
    const api: ProviderApi = {
      lookup: () =>
        Promise.resolve({
          ok: true,
          answer: {
            status: "approved",
            providerStatus: "verified",
            observe: () => undefined,
            details: {},
            facts: facts as never,
          },
        }),
    };
    return { confirm: () => confirmer.confirm(STRIPE, api, KEY, "e1", 1), saved, log };
  }

  it("stores the derived facts, and logs their names only", async () => {
    const { confirm, saved, log } = setup(() =>
      Promise.resolve({ ok: true, raw: { birthDate: "1990-02-14", issuingCountry: "DEU" } }),
    );
    expect(await confirm()).toBe("stored");
    expect(saved).toEqual([
      {
        ageOver: { "18": true },
        issuingCountry: "DE",
        factsAt: new Date("2026-12-07T12:00:00Z"),
      },
    ]);
    expect(log.lines).toEqual([
      {
        level: "info",
        message: "identity details stored",
        fields: {
          ref: REF,
          attempts: 1,
          linkedFromMetadata: "no",
          facts: ["ageOver", "issuingCountry"],
        },
      },
    ]);
  });

  it("keeps the decision without facts when the key may not read them, saying once which permission", async () => {
    const { confirm, saved, log } = setup(() =>
      Promise.resolve({ ok: false, withheld: "a restricted key with that permission" }),
    );
    expect(await confirm()).toBe("stored");
    expect(saved).toEqual([undefined]);
    expect(log.lines.map((line) => [line.level, line.message])).toEqual([
      [
        "warn",
        "Stripe withholds the verified values the facts are derived from: a restricted key with that permission",
      ],
      ["info", "identity details stored"],
    ]);
  });

  it("asks the queue to retry while reading them fails for now", async () => {
    const { confirm, saved } = setup(() => Promise.resolve(unavailable));
    expect(await confirm()).toBe("retry");
    expect(saved).toEqual([]);
  });
});
