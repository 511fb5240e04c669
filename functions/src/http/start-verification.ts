import { HttpsError, type CallableRequest } from "firebase-functions/https";
import { z } from "zod";
import type { Logs, SignedProvider } from "../logs";
import type { ApiFailed } from "../providers/api-request";
import type { LinkStore } from "../store/links";

const startRequest = z.object({ provider: z.enum(["stripe", "persona"]) });

/** What the app needs to open the provider's flow. */
export type Started =
  /** Stripe: the modal's client secret, or the hosted page. */
  | { id: string; clientSecret: string | null; url: string | null }
  /** Persona: the inquiry, and a session token when an inquiry in progress was resumed. */
  | { id: string; sessionToken?: string };

/** A provider's side of starting a verification, with the API of this invocation. */
export interface Starter {
  /** Whether the user can still finish a verification the provider last described so. */
  unfinished(providerStatus: unknown): boolean;
  resume(id: string): Promise<{ ok: true; started: Started } | ApiFailed>;
  /** Creates one for `uid`; the idempotency key makes a repeated call get the same one back. */
  create(uid: string, idempotencyKey: string): Promise<{ ok: true; started: Started } | ApiFailed>;
}

const names: Record<SignedProvider, string> = { stripe: "Stripe Identity", persona: "Persona" };

/**
 * `startVerification`: creates a verification at the provider for the signed-in caller,
 * server-side, naming the caller as the provider allows, and links it before it answers, so that
 * nothing a client sends can link a verification to another user. It resumes the caller's
 * unfinished verification instead of creating another. `starter` is undefined when the
 * provider's API key (or Persona's template) is not set.
 */
export function createStartVerification(deps: {
  starter: (provider: SignedProvider) => Promise<Starter | undefined>;
  links: LinkStore;
  logs: Logs;
}) {
  return async (request: CallableRequest<unknown>): Promise<Started> => {
    const uid = request.auth?.uid;
    if (!uid) throw new HttpsError("unauthenticated", "Sign in before starting a verification.");
    const parsed = startRequest.safeParse(request.data);
    if (!parsed.success) {
      throw new HttpsError(
        "invalid-argument",
        'Pass { provider: "stripe" } or { provider: "persona" }.',
      );
    }
    const { provider } = parsed.data;
    const starter = await deps.starter(provider);
    if (!starter) {
      throw new HttpsError("failed-precondition", `${names[provider]} is not configured.`);
    }
    const mine = await deps.links.verificationsOf(uid, provider);
    const open = mine.find((verification) => starter.unfinished(verification.providerStatus));
    const answer = open
      ? await starter.resume(open.id)
      : // The same key for the same attempt: a repeated call gets the same verification back.
        await starter.create(uid, `firebase-start-${uid}-${mine.length}`);
    if (!answer.ok) {
      const { failure, status } = answer;
      deps.logs.providerApiFailed(provider, { key: open?.id ?? "-", failure, status });
      throw new HttpsError(
        failure === "unavailable" ? "unavailable" : "internal",
        `${names[provider].split(" ")[0]} could not start the verification; try again.`,
      );
    }
    const { started } = answer;
    const outcome = await deps.links.link(started.id, uid, "user", provider);
    deps.logs.started({ key: started.id, outcome: open ? "resumed" : "created" });
    if (outcome === "taken" || outcome === "conflict") {
      throw new HttpsError("already-exists", "This verification is linked to another user.");
    }
    return started;
  };
}
