import { HttpsError, type CallableRequest } from "firebase-functions/https";
import { z } from "zod";
import type { Logs } from "../logs";
import type { ProviderModule, Started, Starter } from "../providers/contract";
import type { LinkStore } from "../store/links";
import { underLease, type LeaseDeps } from "./under-lease";

/** A provider that starts verifications for users, and its code. */
export interface StartingProvider {
  id: string;
  name: string;
  /** The secrets to check when the provider refuses the API key. */
  keyParams: string;
  module(): Promise<ProviderModule>;
}

const startRequest = z.object({ provider: z.string() });

/**
 * `startVerification`: creates a verification at the provider for the signed-in caller,
 * server-side, naming the caller as the provider allows, and links it before it answers, so that
 * nothing a client sends can link a verification to another user. It resumes the caller's
 * unfinished verification instead of creating another. Only the deployment's providers that start
 * verifications are offered.
 */
export function createStartVerification(
  deps: LeaseDeps & {
    providers: readonly StartingProvider[];
    links: LinkStore;
    logs: Logs;
    /** VERIFICATION_RETURN_URL, checked (`returnUrlOf`): read on each call. */
    returnUrl: () => { url: string | undefined } | { problem: string };
  },
) {
  const offered = deps.providers.map(({ id }) => `{ provider: "${id}" }`).join(" or ");
  return async (request: CallableRequest<unknown>): Promise<Started> => {
    const caller = request.auth;
    if (!caller?.uid) {
      throw new HttpsError("unauthenticated", "Sign in before starting a verification.");
    }
    const { uid } = caller;
    // With App Check enforced, each token is consumed: one already used is a replay.
    if (request.app?.alreadyConsumed === true) {
      throw new HttpsError("permission-denied", "This App Check token was used before.");
    }
    const parsed = startRequest.safeParse(request.data);
    const provider = deps.providers.find(({ id }) => id === parsed.data?.provider);
    if (!provider) {
      throw new HttpsError(
        "invalid-argument",
        offered ? `Pass ${offered}.` : "This deployment starts no verifications.",
      );
    }
    const returnUrl = deps.returnUrl();
    if ("problem" in returnUrl) {
      // Fail closed: a way back that is not the app's own must never reach a provider.
      deps.logs.startMisconfigured({ problem: returnUrl.problem });
      throw new HttpsError("failed-precondition", "Verifications cannot be started now.");
    }
    const starter = await (await provider.module()).starter?.({ returnUrl: returnUrl.url });
    if (!starter || "off" in starter) {
      // A key not set, or a way back that is not the app's own: the operator's to fix.
      if (starter) deps.logs.startMisconfigured({ problem: starter.off });
      throw new HttpsError("failed-precondition", `${provider.name} is not configured.`);
    }
    // One call at a time per user: a second one, made while the first creates, resumes its
    // verification instead of creating another (not every provider has idempotency keys). A
    // start costs money: the account is asked first (a deleted user's token is still valid).
    return underLease(deps, caller, provider.id, async (lease) => {
      const mine = await deps.links.verificationsOf(uid, provider.id);
      const open = mine.find((verification) => starter.unfinished(verification));
      const succeeded = (answer: Awaited<ReturnType<Starter["create"]>>) => {
        if (answer.ok) return answer;
        const { failure, status } = answer;
        deps.logs.apiFailed(provider, { key: open?.id ?? "-", failure, status });
        throw new HttpsError(
          failure === "unavailable" ? "unavailable" : "internal",
          `${provider.name} could not start the verification; try again.`,
        );
      };
      // The same key for the same attempt: a repeated call gets the same verification back.
      const idempotencyKey = `firebase-start-${uid}-${mine.length}`;
      let answer = succeeded(
        open ? await starter.resume(open) : await starter.create(uid, idempotencyKey, mine),
      );
      const link = (started: Started, keep?: Record<string, string>) =>
        deps.links.link(started.id, uid, "user", provider.id, keep, lease);
      let outcome = await link(answer.started, answer.keep);
      if (outcome === "erased" && !open) {
        // The key's earlier verification, erased since at the user's request: a fresh key makes
        // a new one (the provider would answer the repeat with the erased one).
        answer = succeeded(
          await starter.create(uid, `${idempotencyKey}-${Date.now()}`, mine, true),
        );
        outcome = await link(answer.started, answer.keep);
      }
      const { started } = answer;
      deps.logs.started({ key: started.id, outcome: open ? "resumed" : "created" });
      if (outcome === "lease-lost") {
        // Held past its time, and taken over (by an erasure, say): nothing was linked.
        throw new HttpsError("unavailable", "Starting took too long; try again.");
      }
      if (outcome === "taken" || outcome === "conflict" || outcome === "foreign") {
        throw new HttpsError("already-exists", "This verification is linked to another user.");
      }
      if (outcome === "erased") {
        throw new HttpsError(
          "failed-precondition",
          `${provider.name} gave back a verification whose data was erased; ask the app's support.`,
        );
      }
      return started;
    });
  };
}
