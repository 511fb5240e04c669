import type { DocumentSnapshot } from "firebase-admin/firestore";
import { HttpsError, type CallableRequest } from "firebase-functions/https";
import type { RefreshOutcome } from "../../src/background/confirm";
import {
  createRefreshVerificationFacts,
  REFRESH_MIN_INTERVAL_MS,
} from "../../src/http/refresh-verification-facts";
import type { ProviderModule } from "../../src/providers/contract";
import type { UserVerification } from "../../src/verification/user-record";
import { memoryLeases } from "../support/leases";

const KEY = "vs_1";
const NOW = 1_800_000_000_000;
const request = (uid: string | null = "u1") =>
  ({
    data: {},
    auth: uid ? { uid, rawToken: `token-${uid}` } : undefined,
  }) as CallableRequest<unknown>;

/** The caller's record, their verification as stored, and what the confirmer was asked. */
function setup(
  options: {
    shown?: UserVerification;
    owner?: string;
    status?: "approved" | "declined";
    erased?: boolean;
    outcome?: RefreshOutcome;
  } = {},
) {
  const asked: string[] = [];
  const fields: Record<string, unknown> = {
    provider: "stripe",
    uid: options.owner ?? "u1",
    ...(options.erased ? { erasedAt: new Date() } : {}),
  };
  const snapshot = {
    data: () => fields,
    get: (field: string) => fields[field],
  } as unknown as DocumentSnapshot;
  const refresh = createRefreshVerificationFacts({
    leases: memoryLeases(),
    accounts: () => Promise.resolve("ok"),
    users: {
      read: () =>
        Promise.resolve(
          "shown" in options ? options.shown : { key: KEY, status: "approved", reviewedAt: 1 },
        ),
    },
    read: () => Promise.resolve(snapshot),
    states: {
      providerOf: (stored) => (stored === "stripe" ? "stripe" : undefined),
      read: () =>
        Promise.resolve({
          provider: "stripe",
          status: options.status ?? "approved",
          providerStatus: "verified",
          at: 1,
          order: [1],
          eventId: "e1",
        }),
    },
    providerOf: () => ({
      id: "stripe",
      name: "Stripe",
      keyParams: "STRIPE_SECRET_KEY",
      module: () =>
        Promise.resolve({
          api: () => Promise.resolve({ lookup: () => Promise.reject(new Error("unused")) }),
        } as unknown as ProviderModule),
    }),
    confirmer: {
      refreshFacts: (_provider, _api, key, eventId) => {
        asked.push(`${key} ${eventId}`);
        return Promise.resolve(options.outcome ?? "refreshed");
      },
    },
    now: () => NOW,
  });
  return { refresh, asked };
}

const refusal = (code: string) => expect.objectContaining({ code }) as HttpsError;

describe("refreshVerificationFacts", () => {
  it("derives the facts of the caller's approved verification again, for its decision", async () => {
    const { refresh, asked } = setup();
    expect(await refresh(request())).toEqual({ outcome: "refreshed" });
    expect(asked).toEqual([`${KEY} e1`]);
  });

  it("asks the provider at most once an hour", async () => {
    const recent = { factsAt: NOW - REFRESH_MIN_INTERVAL_MS + 1 };
    const { refresh, asked } = setup({
      shown: { key: KEY, status: "approved", reviewedAt: 1, facts: recent },
    });
    expect(await refresh(request())).toEqual({ outcome: "recent" });
    expect(asked).toEqual([]);
    const old = { factsAt: NOW - REFRESH_MIN_INTERVAL_MS };
    const later = setup({ shown: { key: KEY, status: "approved", reviewedAt: 1, facts: old } });
    expect(await later.refresh(request())).toEqual({ outcome: "refreshed" });
  });

  it.each([
    ["not signed in", { caller: null }, "unauthenticated"],
    ["without a record", { shown: undefined }, "failed-precondition"],
    [
      "whose record shows a decline",
      { shown: { key: KEY, status: "declined" as const, reviewedAt: 1 } },
      "failed-precondition",
    ],
    ["whose record names another user's verification", { owner: "u2" }, "failed-precondition"],
    ["whose verification was erased", { erased: true }, "failed-precondition"],
    [
      "whose verification is declined by now",
      { status: "declined" as const },
      "failed-precondition",
    ],
  ])("refuses a caller %s, asking nothing", async (_name, options, code) => {
    const { caller, ...rest } = { caller: "u1" as string | null, ...options };
    const { refresh, asked } = setup(rest);
    await expect(refresh(request(caller))).rejects.toEqual(refusal(code));
    expect(asked).toEqual([]);
  });

  it("answers unavailable when the provider cannot be reached, for the app to try later", async () => {
    const { refresh } = setup({ outcome: "unavailable" });
    await expect(refresh(request())).rejects.toEqual(refusal("unavailable"));
  });
});
