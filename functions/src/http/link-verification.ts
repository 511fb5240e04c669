import { HttpsError, type CallableRequest } from "firebase-functions/https";
import { z } from "zod";
import type { Logs } from "../logs";
import { identityKey } from "../providers/passbase/event";
import type { LinkStore } from "../store/links";

const linkRequest = z.object({ key: identityKey });

/**
 * `linkVerification`: binds the Passbase identity access key that the client SDK handed the app
 * to the signed-in caller. The first binding wins; linking again as the same user is a no-op.
 */
export function createLinkVerification(deps: { links: LinkStore; logs: Logs }) {
  return async (request: CallableRequest<unknown>): Promise<{ key: string; linked: true }> => {
    const uid = request.auth?.uid;
    if (!uid) throw new HttpsError("unauthenticated", "Sign in before linking a verification.");
    const parsed = linkRequest.safeParse(request.data);
    if (!parsed.success) {
      throw new HttpsError(
        "invalid-argument",
        "Pass { key }: the identity access key from Passbase's client SDK (a UUID).",
      );
    }
    const { key } = parsed.data;
    const outcome = await deps.links.link(key, uid, "user");
    deps.logs.linked({ key, outcome });
    // A conflict (the identity's metadata names someone else) gives the caller nothing either.
    if (outcome === "taken" || outcome === "conflict") {
      throw new HttpsError("already-exists", "This verification is linked to another user.");
    }
    return { key, linked: true };
  };
}
