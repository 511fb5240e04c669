import { HttpsError, type CallableRequest } from "firebase-functions/https";
import { z } from "zod";
import type { Logs } from "../logs";
import type { StripeApi } from "../providers/stripe/api-client";
import type { LinkStore } from "../store/links";

const startRequest = z.object({ provider: z.literal("stripe") });

/** What the app needs to open Stripe's flow: the modal's client secret or the hosted page. */
export interface Started {
  id: string;
  clientSecret: string | null;
  url: string | null;
}

/** A session the user can still complete: not verified, not canceled. */
const unfinished = (providerStatus: unknown) =>
  providerStatus === undefined ||
  providerStatus === "requires_input" ||
  providerStatus === "processing";

/**
 * `startVerification`: creates a Stripe Identity session for the signed-in caller, server-side,
 * naming the caller in `client_reference_id` and `metadata.firebase_uid`, and links it before it
 * answers, so that nothing a client sends can link a session to another user. It resumes the
 * caller's unfinished session instead of creating another. `api` is undefined when
 * STRIPE_SECRET_KEY is not set.
 */
export function createStartVerification(deps: {
  api: () => Promise<StripeApi | undefined>;
  links: LinkStore;
  logs: Logs;
}) {
  return async (request: CallableRequest<unknown>): Promise<Started> => {
    const uid = request.auth?.uid;
    if (!uid) throw new HttpsError("unauthenticated", "Sign in before starting a verification.");
    if (!startRequest.safeParse(request.data).success) {
      throw new HttpsError("invalid-argument", 'Pass { provider: "stripe" }.');
    }
    const api = await deps.api();
    if (!api) {
      throw new HttpsError("failed-precondition", "Stripe Identity is not configured.");
    }
    const mine = await deps.links.verificationsOf(uid, "stripe");
    const open = mine.find((session) => unfinished(session.providerStatus));
    const lookup = open
      ? await api.getSession(open.id)
      : // The same key for the same attempt: a repeated call gets the same session back.
        await api.createSession(uid, `firebase-start-${uid}-${mine.length}`);
    if (!lookup.ok) {
      deps.logs.stripeApiFailed({
        key: open?.id ?? "-",
        failure: lookup.failure,
        status: lookup.status,
      });
      throw new HttpsError(
        lookup.failure === "unavailable" ? "unavailable" : "internal",
        "Stripe could not start the verification; try again.",
      );
    }
    const { id } = lookup.session;
    const outcome = await deps.links.link(id, uid, "user", "stripe");
    deps.logs.started({ key: id, outcome: open ? "resumed" : "created" });
    if (outcome === "taken" || outcome === "conflict") {
      throw new HttpsError("already-exists", "This verification is linked to another user.");
    }
    return { id, clientSecret: lookup.clientSecret, url: lookup.url };
  };
}
