import type { Auth } from "firebase-admin/auth";
import {
  FieldValue,
  Timestamp,
  type DocumentReference,
  type DocumentSnapshot,
  type Firestore,
} from "firebase-admin/firestore";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import {
  planAttempt,
  planUserRecord,
  type LinkedVerification,
  type UserAttempt,
  type UserPlan,
  type UserVerification,
} from "../verification/user-record";
import { isDecision, verificationStatuses } from "../verification/observation";
import { isUsableUid } from "../verification/uid";
import { keyRef } from "../logs";
import { readLink } from "./links";
import { DEFAULT_NAMES, type StoreNames } from "./names";
import { isErased, readState, type StateReader } from "./verification-store";

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

const storedUserAttempt = z.object({
  key: z.string(),
  provider: z.string(),
  status: z.enum(verificationStatuses),
  at: z.instanceof(Timestamp).transform((at) => at.seconds),
});

/** Reads `users/{uid}.attempt`; undefined when absent or not in the shape this backend writes. */
function readUserAttempt(snapshot: DocumentSnapshot | undefined): UserAttempt | undefined {
  const parsed = storedUserAttempt.safeParse(snapshot?.get("attempt"));
  return parsed.success ? parsed.data : undefined;
}

const attemptDocument = (attempt: UserAttempt) => ({
  ...attempt,
  at: Timestamp.fromMillis(attempt.at * 1000),
});

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

/** Why Auth refuses an ID token whose signature is good: the account is gone or shut out. */
const ACCOUNT_REFUSED = new Set([
  "auth/user-not-found",
  "auth/user-disabled",
  "auth/id-token-revoked",
  "auth/id-token-expired",
]);

/**
 * Whether the account behind an ID token may still act: it exists, is enabled, and its tokens were
 * not revoked since this one was issued. Callables verify tokens without asking Auth, so a deleted
 * user's token is accepted for up to an hour; this asks (one Auth lookup). Other failures throw.
 */
export type AccountCheck = (idToken: string) => Promise<"ok" | "refused">;

/** The Auth adapter for `AccountCheck`: firebase-admin's own revocation check. */
export function createAccountCheck(auth: () => Auth): AccountCheck {
  return async (idToken) => {
    try {
      await auth().verifyIdToken(idToken, true);
      return "ok";
    } catch (error) {
      if (ACCOUNT_REFUSED.has(String((error as { code?: unknown }).code))) return "refused";
      throw error;
    }
  };
}

/** Sets the `identityVerified` claim, keeping the user's other claims; skips a write that changes nothing. */
export interface ClaimWriter {
  setIdentityVerified(uid: string, value: boolean): Promise<"set" | "unchanged" | "no-such-user">;
  /** Removes the claim, keeping the user's other claims (their verification data is erased). */
  withdraw(uid: string): Promise<"set" | "unchanged" | "no-such-user">;
}

/**
 * The Auth adapter for the claim: `claim` (this deployment's VERIFIED_CLAIM) and no other is set
 * or withdrawn; every other claim of the user (the app's `admin`, another instance's) is kept.
 */
export function createClaimWriter(
  auth: () => Auth,
  claim: string = DEFAULT_NAMES.claim,
): ClaimWriter {
  /** The user's claims, or undefined for a deleted user, who cannot carry one. */
  const claimsOf = async (uid: string) => {
    try {
      return (await auth().getUser(uid)).customClaims ?? {};
    } catch (error) {
      if (isUserNotFound(error)) return undefined;
      throw error;
    }
  };
  return {
    async setIdentityVerified(uid, value) {
      const claims = await claimsOf(uid);
      if (claims === undefined) return "no-such-user";
      if (claims[claim] === value) return "unchanged";
      await auth().setCustomUserClaims(uid, { ...claims, [claim]: value });
      return "set";
    },
    async withdraw(uid) {
      const claims = await claimsOf(uid);
      if (claims === undefined) return "no-such-user";
      if (!(claim in claims)) return "unchanged";
      const { [claim]: _withdrawn, ...others } = claims;
      await auth().setCustomUserClaims(uid, others);
      return "set";
    },
  };
}

export type SyncOutcome = "updated" | "unchanged" | Extract<UserPlan, { kind: "skip" }>["reason"];

/** A sync's transaction: done, or ended unwritten for a claim that must be set first. */
type Planned = { done: SyncOutcome } | { claim: { uid: string; claim: boolean } };

type GetAll = (...refs: DocumentReference[]) => Promise<DocumentSnapshot[]>;

/** Carries a verification's decision to its user: `users/{uid}.verification` and the custom claim. */
export interface UserSync {
  sync(key: string): Promise<SyncOutcome>;
  read(uid: string): Promise<UserVerification | undefined>;
}

/** How often a decision is re-planned when the data moves under it, before the platform retries. */
const MAX_PLANS = 5;

/**
 * The Firestore and Auth adapter for users. Each sync plans from the current verification (never
 * the trigger's possibly stale snapshot) inside the transaction that writes the record. A plan
 * that changes the claim ends that transaction unwritten, sets the claim, and plans again from
 * fresh reads; the record is written only by a transaction whose plan's claim is already set. So
 * the claim is in place before the record announces it, and a stale event can never overwrite a
 * newer decision. A plan without a claim (pending, a link) costs one transaction and no Auth call.
 */
export function createUserSync(
  db: () => Firestore,
  states: StateReader,
  claims: ClaimWriter,
  names: Pick<StoreNames, "verifications" | "users"> = DEFAULT_NAMES,
): UserSync {
  const linkedOf = async (
    snapshot: DocumentSnapshot | undefined,
    key: string,
  ): Promise<LinkedVerification> => {
    const link = readLink(snapshot);
    return {
      key,
      uid: link?.uid,
      by: link?.by ?? "user",
      conflict: snapshot?.get("linkConflict") !== undefined,
      erased: isErased(snapshot),
      state: await readState(states, snapshot),
    };
  };

  async function gather(getAll: GetAll, key: string) {
    const firestore = db();
    const [snapshot] = await getAll(firestore.collection(names.verifications).doc(key));
    const verification = await linkedOf(snapshot, key);
    // Without a usable link or a state there is nothing to show: the user need not be read.
    if (!isUsableUid(verification.uid) || !verification.state)
      return { plan: planUserRecord(verification, undefined), uid: undefined, attempt: undefined };
    const [user] = await getAll(firestore.collection(names.users).doc(verification.uid));
    const current = readUserVerification(user);
    const currentAttempt = readUserAttempt(user);
    let held: LinkedVerification | undefined;
    if (current && current.key !== key) {
      const [other] = await getAll(firestore.collection(names.verifications).doc(current.key));
      held = await linkedOf(other, current.key);
    }
    const plan = planUserRecord(verification, held, current);
    // The decision the record shows once this plan is written: the attempt must be newer.
    const shown = plan.kind === "write" ? plan.record : current;
    const decidedAt =
      shown && isDecision(shown.status) ? (shown.reviewedAt ?? undefined) : undefined;
    const attempt = planAttempt(verification, currentAttempt, decidedAt);
    return { plan, current, uid: verification.uid, attempt };
  }

  return {
    async sync(key) {
      const firestore = db();
      // The claim the record calls for, once it has been set in this sync.
      let claimed: { uid: string; claim: boolean } | undefined;
      for (let attempt = 1; attempt <= MAX_PLANS; attempt++) {
        // One transaction plans from fresh reads and writes the record, unless the plan needs a
        // claim not yet set: then it ends without writing, the claim is set, and it runs again.
        const outcome = await firestore.runTransaction(async (tx): Promise<Planned> => {
          const gathered = await gather((...refs) => tx.getAll(...refs), key);
          const { plan } = gathered;
          if (
            plan.kind === "write" &&
            plan.claim !== undefined &&
            (claimed?.uid !== plan.uid || claimed.claim !== plan.claim)
          ) {
            return { claim: { uid: plan.uid, claim: plan.claim } };
          }
          const update: Record<string, unknown> = {};
          if (plan.kind === "write" && !isDeepStrictEqual(gathered.current, plan.record)) {
            update.verification = userVerificationDocument(plan.record);
          }
          if (gathered.attempt !== undefined) {
            update.attempt =
              gathered.attempt === null ? FieldValue.delete() : attemptDocument(gathered.attempt);
          }
          if (gathered.uid === undefined || Object.keys(update).length === 0) {
            return { done: plan.kind === "skip" ? plan.reason : "unchanged" };
          }
          tx.set(firestore.collection(names.users).doc(gathered.uid), update, { merge: true });
          return { done: "updated" };
        });
        if ("done" in outcome) {
          // Erased while this sync set its claim: the erasure may have withdrawn it first.
          if (outcome.done === "erased" && claimed?.claim === true) {
            await claims.withdraw(claimed.uid);
          }
          return outcome.done;
        }
        await claims.setIdentityVerified(outcome.claim.uid, outcome.claim.claim);
        claimed = outcome.claim;
      }
      // The runtime logs a failed function's error: name the verification as every log line does.
      throw new Error(`verification ${keyRef(key)} kept changing while its user was updated`);
    },

    async read(uid) {
      return readUserVerification(await db().collection(names.users).doc(uid).get());
    },
  };
}
