import { HttpsError } from "firebase-functions/https";
import type { Request } from "firebase-functions/tasks";
import type { DocumentSnapshot } from "firebase-admin/firestore";
import { createChecker, type Checker, type CheckOutcome } from "../../src/background/check";
import type { Confirmable, Confirmer } from "../../src/background/confirm";
import type { Reconciler } from "../../src/background/reconcile";
import { createLogs } from "../../src/logs";
import type { IdentityLookup, PassbaseApi } from "../../src/providers/passbase/api-client";
import type { DetailsError, DetailsStanding, IdentityStore } from "../../src/store/identities";
import { createCheckVerification } from "../../src/triggers/check-verification";
import { createReconcileVerifications } from "../../src/triggers/reconcile-verifications";
import { recordingLogger, recordingSink } from "../support/recording";

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const REF = KEY.slice(0, 8);

const task = (data: unknown, retryCount = 0) =>
  ({ data, retryCount, queueName: "checkVerification" }) as Request<unknown>;
/** An API client that always gives `answer` and keeps the keys it was asked about. */
const api = (answer: IdentityLookup) => {
  const asked: string[] = [];
  const client: PassbaseApi = {
    getIdentity: (key) => {
      asked.push(key);
      return Promise.resolve(answer);
    },
  };
  return { client, asked };
};

describe("checkVerification, the task handler", () => {
  function setup(outcome: CheckOutcome, configured = true) {
    const calls: unknown[][] = [];
    const checker = {
      details: (...args: unknown[]) => (
        calls.push(["details", ...args.slice(1)]),
        Promise.resolve(outcome)
      ),
      check: (...args: unknown[]) => (
        calls.push(["check", ...args.slice(1)]),
        Promise.resolve(outcome)
      ),
    } as unknown as Checker;
    const confirmer = {
      confirm: (api: Confirmable<unknown>, ...args: unknown[]) => (
        calls.push(["confirm", api.provider, ...args]),
        Promise.resolve(outcome)
      ),
    } as unknown as Confirmer;
    const log = recordingLogger();
    const handler = createCheckVerification({
      api: () =>
        configured
          ? api({ ok: false, failure: "unavailable", status: 503, message: "" }).client
          : undefined,
      checker,
      confirmable: (provider) =>
        Promise.resolve(configured ? ({ provider } as Confirmable<unknown>) : undefined),
      confirmer,
      logs: createLogs(log.logger),
    });
    return { handler, calls, log };
  }

  it("fetches a decision's details, numbering the attempt from the queue's retry count", async () => {
    const { handler, calls } = setup("stored");
    await handler(task({ key: KEY, eventId: "e1" }, 2));
    expect(calls).toEqual([["details", KEY, "e1", 3]]);
  });

  it("confirms a Stripe session or a Persona inquiry with that provider's API", async () => {
    const { handler, calls } = setup("stored");
    await handler(task({ key: "vs_1", eventId: "evt_1", provider: "stripe" }, 1));
    await handler(task({ key: "vs_1", provider: "stripe" }));
    await handler(task({ key: "inq_1", eventId: "evt_2", provider: "persona" }, 4));
    expect(calls).toEqual([
      ["confirm", "stripe", "vs_1", "evt_1", 2],
      ["confirm", "stripe", "vs_1", undefined, 1],
      ["confirm", "persona", "inq_1", "evt_2", 5],
    ]);
  });

  it("checks a verification for reconciliation when the task names no decision", async () => {
    const { handler, calls } = setup("decided");
    await handler(task({ key: KEY }));
    expect(calls).toEqual([["check", KEY, 1]]);
  });

  it("answers 503 (unavailable) so that the queue retries", async () => {
    const { handler } = setup("retry");
    const error = await handler(task({ key: KEY })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpsError);
    expect((error as HttpsError).httpErrorCode.status).toBe(503);
  });

  it.each(["failed", "skipped", "unchanged"] as const)(
    "completes the task when %s",
    async (outcome) => {
      const { handler } = setup(outcome);
      await expect(handler(task({ key: KEY }))).resolves.toBeUndefined();
    },
  );

  it.each([[null], [{}], [{ key: 7 }], [{ key: "" }]])(
    "ignores task data that names no verification: %j",
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

  it("skips with an info log when no API key is set", async () => {
    const { handler, calls, log } = setup("stored", false);
    await handler(task({ key: KEY, eventId: "e1" }));
    expect(calls).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "info",
        message: "identity details skipped",
        fields: { ref: REF, reason: "PASSBASE_SECRET_API_KEY is not set" },
      },
    ]);
  });

  it("skips a Persona inquiry with an info log when PERSONA_API_KEY is not set", async () => {
    const { handler, calls, log } = setup("stored", false);
    await handler(task({ key: "inq_1", eventId: "evt_1", provider: "persona" }));
    expect(calls).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "info",
        message: "identity details skipped",
        fields: { ref: "inq_1", reason: "PERSONA_API_KEY is not set" },
      },
    ]);
  });
});

describe("the checker's answer to a failed lookup", () => {
  function setup(standing: DetailsStanding = "wanted") {
    const errors: DetailsError[] = [];
    const identities: IdentityStore = {
      standing: () => Promise.resolve(standing),
      saveDetails: () => Promise.resolve("wanted"),
      saveError: (_key, _eventId, error) => (errors.push(error), Promise.resolve("wanted")),
    };
    const log = recordingLogger();
    const checker = createChecker({
      events: recordingSink().sink,
      identities,
      links: {
        link: () => Promise.reject(new Error("unused")),
        verificationsOf: () => Promise.reject(new Error("unused")),
      },
      read: () => Promise.resolve({ data: () => undefined } as unknown as DocumentSnapshot),
      uidField: () => "uid",
      userExists: () => Promise.resolve(true),
      includeOwner: () => false,
      maxAttempts: 5,
      logs: createLogs(log.logger),
    });
    return { checker, errors, log };
  }
  const unavailable: IdentityLookup = {
    ok: false,
    failure: "unavailable",
    status: 503,
    message: "HTTP 503",
  };
  const unauthorized: IdentityLookup = {
    ok: false,
    failure: "unauthorized",
    status: 401,
    message: "HTTP 401: check PASSBASE_SECRET_API_KEY",
  };

  it("asks for a retry while a transient failure has attempts left, recording nothing", async () => {
    const { checker, errors, log } = setup();
    expect(await checker.details(api(unavailable).client, KEY, "e1", 4)).toBe("retry");
    expect(errors).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "warn",
        message: "Passbase API unavailable; the check queue retries the task",
        fields: { ref: REF, status: 503, attempts: 4 },
      },
    ]);
  });

  it("records a transient failure on the last attempt", async () => {
    const { checker, errors } = setup();
    expect(await checker.details(api(unavailable).client, KEY, "e1", 5)).toBe("failed");
    expect(errors).toEqual([
      { failure: "unavailable", status: 503, message: "HTTP 503", attempts: 5 },
    ]);
  });

  it("records a 401 at once and logs it at ERROR", async () => {
    const { checker, errors, log } = setup();
    expect(await checker.details(api(unauthorized).client, KEY, "e1", 1)).toBe("failed");
    expect(errors).toEqual([
      {
        failure: "unauthorized",
        status: 401,
        message: "HTTP 401: check PASSBASE_SECRET_API_KEY",
        attempts: 1,
      },
    ]);
    expect(log.lines).toMatchObject([
      { level: "error", fields: { ref: REF, failure: "unauthorized" } },
    ]);
  });

  it.each(["stored", "superseded"] as const)(
    "does not ask the API about a decision whose details are %s",
    async (standing) => {
      const { checker } = setup(standing);
      const { client, asked } = api(unauthorized);
      expect(await checker.details(client, KEY, "e1", 1)).toBe("skipped");
      expect(asked).toEqual([]);
    },
  );
});

describe("reconcileVerifications", () => {
  it("skips the run with an info log when no API key is set", async () => {
    const log = recordingLogger();
    let ran = false;
    const reconciler = {
      run: () => {
        ran = true;
        return Promise.resolve({ selected: 0, queued: 0, givenUp: 0 });
      },
    } as Pick<Reconciler, "run"> as Reconciler;
    await createReconcileVerifications({
      apiConfigured: () => false,
      reconciler,
      options: () => ({ dueBy: 0, limit: 10 }),
      logs: createLogs(log.logger),
    })();
    expect(ran).toBe(false);
    expect(log.lines).toMatchObject([{ level: "info", message: "identity details skipped" }]);
  });
});
