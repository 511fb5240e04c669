import { PROVIDERS } from "../../../src/providers/registry";
import type { Kit, Sent } from "../../support/kits";
import { callFunction, startedFor } from "./functions";
import { localSecret } from "./config";
import { standIn } from "./stand-in";
import type { signedInUser } from "./users";

// What the suites that run a verification's life once per registered provider share.

type User = Awaited<ReturnType<typeof signedInUser>>;

/** Posts a delivery to the local widgets. */
export const postTo = async (base: string, { path, body, headers }: Sent) => {
  const res = await fetch(`${base}${path}`, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
};

/** How the provider's verifications are linked: started by our server, or linked by the user. */
export const linkingOf = (kit: Kit) => PROVIDERS.find(({ id }) => id === kit.id)?.linking;

/** The first of the local stack's webhook secrets (the newest, while one rotates). */
export const secretOf = (kit: Kit) => localSecret(kit.secretName).split(/[\n,]/)[0] ?? "";

/** A verification of the user's at the provider: started for them, or linked by them. */
export async function verificationOf(kit: Kit, user: User): Promise<string> {
  if (linkingOf(kit) === "user") {
    const key = kit.newId();
    const linked = await callFunction("linkVerification", { key }, await user.idToken());
    expect(linked.status).toBe(200);
    return key;
  }
  return (await startedFor(kit.id, user)).id;
}

/**
 * What the stand-in answers the details task from now on: the decision the webhooks carry, as the
 * provider's API answers once it made it. Where the kit gives such an answer, the stand-in would
 * otherwise answer the state it created the verification in, dated now, which wins the merge.
 */
export async function answers(kit: Kit, id: string, decision: "approved" | "declined") {
  const answer = kit.apiAnswer?.(id, decision);
  if (answer) await standIn.program(id, [{ status: 200, body: answer }]);
}
