import type { Auth } from "firebase-admin/auth";
import {
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
} from "firebase-admin/firestore";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import {
  planUserRecord,
  type LinkedVerification,
  type UserPlan,
  type UserVerification,
} from "../verification/user-record";
import { verificationStatuses } from "../verification/observation";
import { isUsableUid } from "../verification/uid";
import { readLink } from "./links";
import { readState, VERIFICATIONS } from "./verification-store";

export const USERS = "users";
/** The custom claim carried on the user's ID token. */
export const CLAIM = "identityVerified";

const storedUserVerification = z.object({
  key: z.string(),
  status: z.enum(verificationStatuses),
  reviewedAt: z
    .instanceof(Timestamp)
    .transform((at) => at.seconds)
    .nullable(),
});

/** Reads `users/{uid}.verification`; undefined when absent or not in the shape this backend writes. */
export function readUserVerification(
  snapshot: DocumentSnapshot | undefined,
): UserVerification | undefined {
  const parsed = storedUserVerification.safeParse(snapshot?.get("verification"));
  return parsed.success ? parsed.data : undefined;
}

function userVerificationDocument(record: UserVerification) {
  return {
    key: record.key,
    status: record.status,
    reviewedAt: record.reviewedAt === null ? null : Timestamp.fromMillis(record.reviewedAt * 1000),
  };
}

const isUserNotFound = (error: unknown) =>
  (error as { code?: string }).code === "auth/user-not-found";

/** Whether a Firebase Auth user has this uid; any other failure of Auth throws. */
export function createUserExists(auth: () => Auth) {
  return async (uid: string): Promise<boolean> => {
    try {
      await auth().getUser(uid);
      return true;
    } catch (error) {
      if (isUserNotFound(error)) return false;
      throw error;
    }
  };
}

/** Sets the `identityVerified` claim, keeping the user's other claims; skips a write that changes nothing. */
export interface ClaimWriter {
  setIdentityVerified(uid: string, value: boolean): Promise<"set" | "unchanged" | "no-such-user">;
}

export function createClaimWriter(auth: () => Auth): ClaimWriter {
  return {
    async setIdentityVerified(uid, value) {
      let claims: Record<string, unknown>;
      try {
        claims = (await auth().getUser(uid)).customClaims ?? {};
      } catch (error) {
        // A deleted user cannot carry a claim; retrying would not change that.
        if (isUserNotFound(error)) return "no-such-user";
        throw error;
      }
      if (claims[CLAIM] === value) return "unchanged";
      await auth().setCustomUserClaims(uid, { ...claims, [CLAIM]: value });
      return "set";
    },
  };
}

export type SyncOutcome = "updated" | "unchanged" | Extract<UserPlan, { kind: "skip" }>["reason"];

type GetAll = (...refs: DocumentReference[]) => Promise<DocumentSnapshot[]>;

/** Carries a verification's decision to its user: `users/{uid}.verification` and the custom claim. */
export interface UserSync {
  sync(key: string): Promise<SyncOutcome>;
  read(uid: string): Promise<UserVerification | undefined>;
}

/** How often a decision is re-planned when the data moves under it, before the platform retries. */
const MAX_PLANS = 5;

/**
 * The Firestore and Auth adapter for users. Each sync reads the current verification (never the
 * trigger's possibly stale snapshot), plans, sets the claim first, and then writes the record in a
 * transaction that re-plans from fresh reads: if anything moved, it plans again. So the claim is
 * in place before the record announces it, and a stale event can never overwrite a newer decision.
 */
export function createUserSync(db: () => Firestore, claims: ClaimWriter): UserSync {
  const linkedOf = (snapshot: DocumentSnapshot | undefined, key: string): LinkedVerification => {
    const link = readLink(snapshot);
    return {
      key,
      uid: link?.uid,
      by: link?.by ?? "user",
      conflict: snapshot?.get("linkConflict") !== undefined,
      state: readState(snapshot),
    };
  };

  async function gather(getAll: GetAll, key: string) {
    const firestore = db();
    const [snapshot] = await getAll(firestore.collection(VERIFICATIONS).doc(key));
    const verification = linkedOf(snapshot, key);
    if (!isUsableUid(verification.uid))
      return { plan: planUserRecord(verification, undefined), current: undefined };
    const [user] = await getAll(firestore.collection(USERS).doc(verification.uid));
    const current = readUserVerification(user);
    let held: LinkedVerification | undefined;
    if (current && current.key !== key) {
      const [other] = await getAll(firestore.collection(VERIFICATIONS).doc(current.key));
      held = linkedOf(other, current.key);
    }
    return { plan: planUserRecord(verification, held), current };
  }

  return {
    async sync(key) {
      const firestore = db();
      for (let attempt = 1; attempt <= MAX_PLANS; attempt++) {
        const { plan } = await gather((...refs) => firestore.getAll(...refs), key);
        if (plan.kind === "skip") return plan.reason;
        if (plan.claim !== undefined) await claims.setIdentityVerified(plan.uid, plan.claim);
        const outcome = await firestore.runTransaction(async (tx) => {
          const fresh = await gather((...refs) => tx.getAll(...refs), key);
          if (!isDeepStrictEqual(fresh.plan, plan)) return "moved";
          if (isDeepStrictEqual(fresh.current, plan.record)) return "unchanged";
          tx.set(
            firestore.collection(USERS).doc(plan.uid),
            { verification: userVerificationDocument(plan.record) },
            { merge: true },
          );
          return "updated";
        });
        if (outcome !== "moved") return outcome;
      }
      throw new Error(`verification ${key} kept changing while its user was updated`);
    },

    async read(uid) {
      return readUserVerification(await db().collection(USERS).doc(uid).get());
    },
  };
}
