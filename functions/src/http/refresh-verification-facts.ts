import type { DocumentSnapshot } from "firebase-admin/firestore";
import { HttpsError, type CallableRequest } from "firebase-functions/https";
import type { CheckedProvider } from "../triggers/check-verification";
import type { Confirmer, RefreshOutcome } from "../background/confirm";
import type { UserSync } from "../store/users";
import { isErased, readStored, type StateReader } from "../store/verification-store";
import { underLease, type LeaseDeps } from "./under-lease";

/** A user asks at most this often: each time costs the provider's API a call or two. */
export const REFRESH_MIN_INTERVAL_MS = 60 * 60 * 1000;

const NOTHING_TO_DERIVE = "You have no approved verification to derive facts from.";

/**
 * `refreshVerificationFacts`: the signed-in caller's approved verification (the one their record
 * shows) has its facts derived again, now, from what its provider still holds. A "not yet 18"
 * goes stale on the person's birthday, and the backend keeps no date of birth to know when: the
 * user asks. At most once an hour; only the caller's own verification; under their lease, so
 * never beside an erasure of it.
 */
export function createRefreshVerificationFacts(
  deps: LeaseDeps & {
    users: Pick<UserSync, "read">;
    read: (key: string) => Promise<DocumentSnapshot>;
    states: StateReader;
    providerOf: (provider: unknown) => CheckedProvider | undefined;
    confirmer: Pick<Confirmer, "refreshFacts">;
    now?: () => number;
  },
) {
  const now = deps.now ?? Date.now;
  return async (
    request: CallableRequest<unknown>,
  ): Promise<{ outcome: RefreshOutcome | "recent" }> => {
    const caller = request.auth;
    if (!caller?.uid) {
      throw new HttpsError(
        "unauthenticated",
        "Sign in before asking for your verification's facts.",
      );
    }
    const shown = await deps.users.read(caller.uid);
    if (shown?.status !== "approved")
      throw new HttpsError("failed-precondition", NOTHING_TO_DERIVE);
    const factsAt = shown.facts?.factsAt;
    if (factsAt !== undefined && now() - factsAt < REFRESH_MIN_INTERVAL_MS) {
      return { outcome: "recent" };
    }
    const snapshot = await deps.read(shown.key);
    const stored = await readStored(deps.states, snapshot);
    const state = stored?.state;
    // The record is the caller's; the verification must still be theirs, approved, not erased.
    if (snapshot.get("uid") !== caller.uid || isErased(snapshot) || state?.status !== "approved") {
      throw new HttpsError("failed-precondition", NOTHING_TO_DERIVE);
    }
    const provider = deps.providerOf(stored?.provider);
    const api = provider && (await (await provider.module()).api());
    if (!provider || !api || "off" in api) {
      throw new HttpsError("failed-precondition", "Facts cannot be derived now.");
    }
    const outcome = await underLease(
      deps,
      { uid: caller.uid, rawToken: caller.rawToken },
      provider.id,
      () => deps.confirmer.refreshFacts(provider, api, shown.key, state.eventId),
    );
    if (outcome === "unavailable") {
      throw new HttpsError("unavailable", "The provider could not be reached: try again later.");
    }
    return { outcome };
  };
}
