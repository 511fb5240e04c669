import { createErasure } from "../../src/background/erase";
import { planErasureFailure } from "../../src/background/plan";
import type { CheckTask } from "../../src/background/queue";
import { createLogs } from "../../src/logs";
import { apiFailed } from "../../src/providers/api-request";
import type { Eraser } from "../../src/providers/contract";
import type { ErasureRecord, ErasureStore, Tombstone } from "../../src/store/erasure";
import { memoryLeases } from "../support/leases";
import { recordingLogger } from "../support/recording";

// The erasure's decisions, with its ports recorded: Firestore's side is on the emulators
// (test/emulator/erasure.test.ts).
const STRIPE = { id: "stripe", name: "Stripe Identity", keyParams: "STRIPE_SECRET_KEY" };
const KEY = "vs_1234567890abcdef";

function setup(
  tombstone: Tombstone | null = { provider: "stripe", state: "requested", kept: undefined },
) {
  const recorded: ErasureRecord[] = [];
  const calls: string[] = [];
  const queued: [CheckTask, string | undefined][] = [];
  let state = tombstone?.state ?? "requested";
  const store: ErasureStore = {
    tombstone: (key) => Promise.resolve(key === "gone" ? undefined : { provider: "stripe" }),
    find: (uid) => {
      // The leases held when the user's links are looked for.
      calls.push(`find ${uid} holding ${[...leases.held.keys()].join(",")}`);
      return Promise.resolve(["vs_a", "vs_b", "gone"]);
    },
    forget: (uid) => {
      calls.push(`forget ${uid}`);
      return Promise.resolve();
    },
    read: () => Promise.resolve(tombstone === null ? undefined : { ...tombstone, state }),
    record: (_key, result) => {
      recorded.push(result);
      const moved = state !== result.state;
      state = result.state;
      return Promise.resolve(moved);
    },
  };
  const log = recordingLogger();
  const leases = memoryLeases();
  const erasure = createErasure({
    store,
    queue: {
      enqueue: (task, id) => {
        queued.push([task, id]);
        return Promise.resolve("queued");
      },
    },
    claims: {
      setIdentityVerified: () => Promise.resolve("unchanged"),
      withdraw: (uid) => {
        calls.push(`withdraw ${uid}`);
        return Promise.resolve("set");
      },
    },
    providers: ["stripe", "persona"],
    leases,
    maxAttempts: 5,
    logs: createLogs(log.logger),
  });
  return { erasure, recorded, calls, queued, log, leases };
}

const answering = (...answers: Awaited<ReturnType<Eraser["erase"]>>[]): Eraser => ({
  erase: () => Promise.resolve(answers.shift() ?? apiFailed("unavailable", 503, "HTTP 503")),
});

describe("eraseUser", () => {
  it("tombstones and queues each verification, forgets the user's record on account deletion, and names the uid once", async () => {
    const { erasure, queued, calls, log, leases } = setup();
    expect(await erasure.eraseUser("uid-1", "account-deleted")).toEqual({ verifications: 2 });
    expect(leases.held).toEqual(new Map());
    expect(queued).toEqual([
      [{ key: "vs_a", provider: "stripe", erase: true }, "vs_a-erase"],
      [{ key: "vs_b", provider: "stripe", erase: true }, "vs_b-erase"],
    ]);
    // The account is gone, and its claim with it: nothing to withdraw.
    expect(calls).toEqual(["find uid-1 holding stripe:uid-1,persona:uid-1", "forget uid-1"]);
    expect(log.lines.filter((line) => JSON.stringify(line).includes("uid-1"))).toEqual([
      {
        level: "info",
        message: "verification data erasure started",
        fields: { uid: "uid-1", reason: "account-deleted" },
      },
    ]);
  });

  it("keeps the app's fields and withdraws the claim when the user asks", async () => {
    const { erasure, calls } = setup();
    await erasure.eraseUser("uid-1", "requested");
    expect(calls).toEqual([
      "find uid-1 holding stripe:uid-1,persona:uid-1",
      "forget uid-1",
      "withdraw uid-1",
    ]);
  });

  it("holds the user's lease at every provider while it looks for their links, then releases them", async () => {
    const { erasure, leases, calls } = setup();
    await erasure.eraseUser("uid-1", "requested");
    expect(calls[0]).toBe("find uid-1 holding stripe:uid-1,persona:uid-1");
    expect(leases.log).toEqual([
      "take stripe:uid-1",
      "take persona:uid-1",
      "release stripe:uid-1",
      "release persona:uid-1",
    ]);
  });

  it("waits for a start in flight to release its lease, then erases what it linked", async () => {
    const { erasure, leases, calls } = setup();
    leases.held.set("persona:uid-1", "a start");
    const erased = erasure.eraseUser("uid-1", "account-deleted");
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Nothing looked for yet: the start still holds the user's lease at Persona.
    expect(calls).toEqual([]);
    await leases.release({ uid: "uid-1", provider: "persona", holder: "a start" });
    await erased;
    expect(calls).toEqual(["find uid-1 holding stripe:uid-1,persona:uid-1", "forget uid-1"]);
  });
});

describe("eraseAt", () => {
  it("records the provider's answer, and what it still holds", async () => {
    const { erasure, recorded, log } = setup();
    const erased = { ok: true, erased: { outcome: "none", stillHeld: "everything" } } as const;
    expect(await erasure.eraseAt(STRIPE, answering(erased), KEY, 1)).toBe("done");
    expect(recorded).toEqual([
      { state: "done", attempts: 1, outcome: "none", stillHeld: "everything" },
    ]);
    expect(log.lines.map((line) => line.level)).toEqual(["warn"]);
  });

  it("asks the queue to retry a transient failure, then leaves it to reconciliation on the last attempt", async () => {
    const { erasure, recorded, log } = setup();
    const eraser = answering();
    expect(await erasure.eraseAt(STRIPE, eraser, KEY, 4)).toBe("retry");
    expect(recorded).toEqual([]);
    expect(await erasure.eraseAt(STRIPE, eraser, KEY, 5)).toBe("waiting");
    expect(recorded).toEqual([
      { state: "waiting", failure: "unavailable", status: 503, message: "HTTP 503", attempts: 5 },
    ]);
    expect(log.lines.every((line) => line.level === "warn")).toBe(true);
  });

  it("records a permanent failure with the provider's code, and logs it at ERROR once", async () => {
    const { erasure, recorded, log } = setup();
    const refused = apiFailed("rejected", 400, "HTTP 400", "1102");
    expect(await erasure.eraseAt(STRIPE, answering(refused), KEY, 1)).toBe("failed");
    expect(await erasure.eraseAt(STRIPE, answering(refused), KEY, 1)).toBe("failed");
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toEqual({
      state: "failed",
      failure: "rejected",
      status: 400,
      message: "HTTP 400",
      code: "1102",
      attempts: 1,
    });
    expect(log.lines).toEqual([
      {
        level: "error",
        message: "Stripe Identity refused to erase a verification's data; erase it there by hand",
        fields: {
          ref: "vs_12345",
          provider: "stripe",
          failure: "rejected",
          status: 400,
          attempts: 1,
          detail: "HTTP 400",
          code: "1102",
        },
      },
    ]);
  });

  it("records a provider whose key is not set as failed, without calling it", async () => {
    const { erasure, recorded } = setup();
    expect(await erasure.eraseAt(STRIPE, { off: "STRIPE_SECRET_KEY is not set" }, KEY, 1)).toBe(
      "failed",
    );
    expect(recorded).toEqual([
      {
        state: "failed",
        failure: "off",
        status: null,
        message: "STRIPE_SECRET_KEY is not set",
        attempts: 1,
      },
    ]);
  });

  it.each<[string, Tombstone | null]>([
    ["no tombstone", null],
    ["an erasure already done", { provider: "stripe", state: "done", kept: undefined }],
  ])("skips %s without calling the provider", async (_name, tombstone) => {
    const { erasure, recorded } = setup(tombstone);
    let called = false;
    const eraser: Eraser = {
      erase: () => {
        called = true;
        return Promise.resolve({ ok: true, erased: { outcome: "deleted" } });
      },
    };
    expect(await erasure.eraseAt(STRIPE, eraser, KEY, 1)).toBe("skipped");
    expect([called, recorded]).toEqual([false, []]);
  });

  it("passes what the start kept to the provider", async () => {
    const kept = { applicantId: "a-1" };
    const { erasure } = setup({ provider: "onfido", state: "waiting", kept });
    const seen: unknown[] = [];
    const eraser: Eraser = {
      erase: (key, given) => {
        seen.push([key, given]);
        return Promise.resolve({ ok: true, erased: { outcome: "deleted" } });
      },
    };
    await erasure.eraseAt(STRIPE, eraser, KEY, 1);
    expect(seen).toEqual([[KEY, kept]]);
  });
});

describe("planErasureFailure", () => {
  it.each([
    ["unavailable", 1, "retry"],
    ["unavailable", 4, "retry"],
    ["unavailable", 5, "wait"],
    ["not-found", 1, "fail"],
    ["unauthorized", 1, "fail"],
    ["rejected", 1, "fail"],
    ["malformed", 1, "fail"],
    ["off", 1, "fail"],
  ] as const)("%s on attempt %i of 5: %s", (failure, attempt, plan) => {
    expect(planErasureFailure(failure, attempt, 5)).toBe(plan);
  });
});
