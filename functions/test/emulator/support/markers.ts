import type { Auth } from "firebase-admin/auth";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import { settled } from "./emulator-log";
import { eventually } from "./eventually";

/**
 * Resolves once every trigger event written before the call has been handled, and every task
 * those runs queued has run: the marker for "nothing else happens", instead of a fixed sleep.
 * The Firestore emulator delivers trigger events one at a time, in order, so once a marker
 * verification written now reaches its user's record, every earlier event has been handled.
 */
export async function drained(ctx: { db: Firestore; auth: Auth }): Promise<void> {
  const { uid } = await ctx.auth.createUser({ uid: `marker-${randomUUID()}` });
  const key = randomUUID();
  const at = Timestamp.now();
  // A linked, pending Passbase verification: the trigger writes the user's record, nothing else.
  await ctx.db
    .collection("verifications")
    .doc(key)
    .set({
      uid,
      linkedBy: "user",
      status: "pending",
      event: "VERIFICATION_COMPLETED",
      created: at,
      updated: at,
      processed: at,
      eventId: `marker-${key}`,
    });
  await eventually(
    async () =>
      (await ctx.db.collection("users").doc(uid).get()).get("verification.key") as unknown,
    (marked) => marked === key,
  );
  await settled("checkVerification");
}
