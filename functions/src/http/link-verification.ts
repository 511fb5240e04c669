import { HttpsError, type CallableRequest } from "firebase-functions/https";
import type { Logs } from "../logs";
import type { ProviderModule } from "../providers/contract";
import type { LinkStore } from "../store/links";
import { underLease, type LeaseDeps } from "./under-lease";

/** A provider whose users link their verifications themselves, and its code. */
export interface LinkingProvider {
  id: string;
  name: string;
  module(): Promise<ProviderModule>;
}

/**
 * `linkVerification`: binds the verification key that the provider's client SDK handed the app
 * to the signed-in caller, for the deployment's provider whose users link their own (only its
 * verifications: a key of another provider's is refused). The first binding wins; linking again
 * as the same user is a no-op.
 */
export function createLinkVerification(
  deps: LeaseDeps & {
    provider: LinkingProvider | undefined;
    links: LinkStore;
    logs: Logs;
  },
) {
  return async (request: CallableRequest<unknown>): Promise<{ key: string; linked: true }> => {
    const caller = request.auth;
    if (!caller?.uid) {
      throw new HttpsError("unauthenticated", "Sign in before linking a verification.");
    }
    const { provider } = deps;
    if (!provider) {
      throw new HttpsError(
        "failed-precondition",
        "No provider of this deployment links verifications this way: use startVerification.",
      );
    }
    const data = request.data as { key?: unknown } | null;
    const key = (await provider.module()).linkKey?.(data?.key);
    if (key === undefined) {
      throw new HttpsError(
        "invalid-argument",
        `Pass { key }: the verification's key from ${provider.name}'s client SDK.`,
      );
    }
    // Under the caller's lease, as a start: ordered against their erasure, and only while
    // their account may still act.
    const outcome = await underLease(deps, caller, provider.id, (lease) =>
      deps.links.link(key, caller.uid, "user", provider.id, undefined, lease),
    );
    deps.logs.linked({ key, outcome });
    if (outcome === "lease-lost") {
      throw new HttpsError("unavailable", "Linking took too long; try again.");
    }
    if (outcome === "erased") {
      throw new HttpsError("failed-precondition", "This verification's data was erased.");
    }
    // A conflict (the identity's metadata names someone else) gives the caller nothing either.
    if (outcome === "taken" || outcome === "conflict" || outcome === "foreign") {
      throw new HttpsError("already-exists", "This verification is linked to another user.");
    }
    return { key, linked: true };
  };
}
