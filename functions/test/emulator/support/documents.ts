import type { Auth } from "firebase-admin/auth";
import { Timestamp, type Firestore } from "firebase-admin/firestore";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS_DIR } from "./config";
import { eventually } from "./eventually";

/** What the suites read back: a verification, its audit trail, a user's record and claim. */
export function documents(ctx: { db: Firestore; auth: Auth }) {
  const ref = (id: string) => ctx.db.collection("verifications").doc(id);
  const claim = async (uid: string) =>
    (await ctx.auth.getUser(uid)).customClaims?.identityVerified as unknown;
  return {
    /** A verification's fields ({} while there is none). */
    verification: async (id: string) => (await ref(id).get()).data() ?? {},
    /** The ids of a verification's audit entries, sorted. */
    trail: async (id: string) =>
      (await ref(id).collection("events").get()).docs.map((d) => d.id).sort(),
    /** Where each audit entry came from (webhook or reconciliation), sorted. */
    sources: async (id: string) =>
      (await ref(id).collection("events").get()).docs.map((d) => d.get("source") as unknown).sort(),
    /** `users/{uid}.verification`. */
    userRecord: async (uid: string) =>
      (await ctx.db.collection("users").doc(uid).get()).get("verification") as unknown,
    claim,
    /**
     * Time passes for one verification: its next reconciliation look is due (at `at`, long ago),
     * on the schedule it is on (a linked one's, or the one look of one nobody has linked).
     */
    makeDue: async (id: string, at = 1_000) => {
      const unlinked = (await ref(id).get()).get("unlinkedCheckAt") !== undefined;
      await ref(id).update({
        [unlinked ? "unlinkedCheckAt" : "nextCheckAt"]: Timestamp.fromMillis(at),
      });
    },
    /** Waits until the verification's neutral status is `status`. */
    statusBecomes: (id: string, status: string) =>
      eventually(
        async () => (await ref(id).get()).get("status") as unknown,
        (s) => s === status,
      ),
    /** Waits until the user's `identityVerified` claim is `value`. */
    claimBecomes: (uid: string, value: boolean) =>
      eventually(
        () => claim(uid),
        (c) => c === value,
      ),
    /** Waits until the erasure at the provider has an outcome other than "requested". */
    erasureSettles: (id: string) =>
      eventually(
        async () => (await ref(id).get()).data() ?? {},
        (doc) => {
          const state = (doc.erasure as { state?: string } | undefined)?.state;
          return state !== undefined && state !== "requested";
        },
      ),
  };
}

/** Kept for scripts/test/check-logs.mjs: no log line but the erasure's start may name these. */
export const erasing = (uid: string) => {
  appendFileSync(join(FUNCTIONS_DIR, ".emulators", "erased-uids.txt"), `${uid}\n`);
};
