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
  expiryDue,
  planAttempt,
  planUserRecord,
  type ExpiryRule,
  type LinkedVerification,
  type UserAttempt,
  type UserFacts,
  type UserPlan,
  type UserVerification,
} from "../verification/user-record";
import { ageOverName, DOCUMENT_TYPES } from "../verification/facts";
import { isDecision, verificationStatuses } from "../verification/observation";
import { isUsableUid } from "../verification/uid";
import { keyRef } from "../logs";
import { readLink } from "./links";
import { DEFAULT_NAMES, EXPIRY_DUE_FIELD, type StoreNames } from "./names";
import { isErased, readState, type StateReader } from "./verification-store";

/** Facts as stored, on a verification and on a user's record (`factsAt` a timestamp). */
const storedFacts = z
  .object({
    ageOver: z.record(z.string(), z.boolean()).optional(),
    documentExpiresOn: z.string().optional(),
    issuingCountry: z.string().optional(),
    documentType: z.enum(DOCUMENT_TYPES).optional(),
    factsAt: z.instanceof(Timestamp).transform((at) => at.toMillis()),
  })
  .strict();

/** The facts stored with a verification's current decision (`eventId`); undefined otherwise. */
export function readVerificationFacts(
  snapshot: DocumentSnapshot | undefined,
  eventId: string | undefined,
): UserFacts | undefined {
  const stored = snapshot?.get("facts") as Record<string, unknown> | undefined;
  if (stored === undefined || eventId === undefined || stored.eventId !== eventId) return undefined;
  const { eventId: _decision, ...facts } = stored;
  const parsed = storedFacts.safeParse(facts);
  return parsed.success ? parsed.data : undefined;
}

const storedUserVerification = z.object({
  key: z.string(),
  status: z.enum(verificationStatuses),
  reviewedAt: z
    .instanceof(Timestamp)
    .transform((at) => at.seconds)
    .nullable(),
  facts: storedFacts.optional(),
  documentExpired: z.boolean().optional(),
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
    // Written with merge, which merges maps field by field: what the record no longer says (a
    // decline after an approval's facts) is deleted, never left behind.
    facts: record.facts
      ? { ...record.facts, factsAt: Timestamp.fromMillis(record.facts.factsAt) }
      : FieldValue.delete(),
    documentExpired: record.documentExpired ?? FieldValue.delete(),
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

/**
 * Sets the `identityVerified` claim and the age claims, keeping the user's other claims; skips a
 * write that changes nothing.
 */
export interface ClaimWriter {
  /**
   * `ageOver`: the age claims to hold now, by age ("18": true); this deployment's others
   * (AGE_THRESHOLDS) are removed.
   */
  setIdentityVerified(
    uid: string,
    value: boolean,
    ageOver?: Readonly<Record<string, boolean>>,
  ): Promise<"set" | "unchanged" | "no-such-user">;
  /** Removes the claims, keeping the user's other claims (their verification data is erased). */
  withdraw(uid: string): Promise<"set" | "unchanged" | "no-such-user">;
}

/** Auth refuses custom claims longer than this, as JSON. */
export const MAX_CLAIMS_BYTES = 1000;

/**
 * The Auth adapter for the claims: `claim` (this deployment's VERIFIED_CLAIM) and the
 * `age_over_NN` of `ageThresholds` and no other are set or withdrawn; every other claim of the user
 * (the app's `admin`, another instance's) is kept. Should the age claims not fit beside the team's
 * own within Auth's 1,000 bytes, they are left out, never the team's.
 */
export function createClaimWriter(
  auth: () => Auth,
  claim: string = DEFAULT_NAMES.claim,
  ageThresholds: () => readonly number[] = () => [],
): ClaimWriter {
  /** The user's claims without any of this deployment's. */
  const othersOf = (claims: Record<string, unknown>) => {
    const ours = new Set([claim, ...ageThresholds().map(ageOverName)]);
    return Object.fromEntries(Object.entries(claims).filter(([name]) => !ours.has(name)));
  };
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
    async setIdentityVerified(uid, value, ageOver = {}) {
      const claims = await claimsOf(uid);
      if (claims === undefined) return "no-such-user";
      const ages = Object.fromEntries(
        Object.entries(ageOver).map(([years, over]) => [ageOverName(Number(years)), over]),
      );
      let next: Record<string, unknown> = { ...othersOf(claims), [claim]: value, ...ages };
      if (JSON.stringify(next).length > MAX_CLAIMS_BYTES) {
        next = { ...othersOf(claims), [claim]: value };
      }
      if (isDeepStrictEqual(next, claims)) return "unchanged";
      await auth().setCustomUserClaims(uid, next);
      return "set";
    },
    async withdraw(uid) {
      const claims = await claimsOf(uid);
      if (claims === undefined) return "no-such-user";
      const others = othersOf(claims);
      if (Object.keys(others).length === Object.keys(claims).length) return "unchanged";
      await auth().setCustomUserClaims(uid, others);
      return "set";
    },
  };
}

export type SyncOutcome = "updated" | "unchanged" | Extract<UserPlan, { kind: "skip" }>["reason"];

/** The claims a plan calls for. */
interface Claimed {
  uid: string;
  claim: boolean;
  ageOver: Record<string, boolean>;
}

/** A sync's transaction: done, or ended unwritten for a claim that must be set first. */
type Planned = { done: SyncOutcome } | { claim: Claimed };

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
  /** DOCUMENT_EXPIRY and the time, read on each sync; absent: expiry is not said. */
  expiry?: () => ExpiryRule,
): UserSync {
  const linkedOf = async (
    snapshot: DocumentSnapshot | undefined,
    key: string,
  ): Promise<LinkedVerification> => {
    const link = readLink(snapshot);
    const state = await readState(states, snapshot);
    return {
      key,
      uid: link?.uid,
      by: link?.by ?? "user",
      conflict: snapshot?.get("linkConflict") !== undefined,
      erased: isErased(snapshot),
      state,
      facts: readVerificationFacts(snapshot, state?.eventId),
    };
  };

  async function gather(getAll: GetAll, key: string, rule: ExpiryRule | undefined) {
    const firestore = db();
    const [snapshot] = await getAll(firestore.collection(names.verifications).doc(key));
    const verification = await linkedOf(snapshot, key);
    // Without a usable link or a state there is nothing to show: the user need not be read.
    if (!isUsableUid(verification.uid) || !verification.state)
      return {
        plan: planUserRecord(verification, undefined),
        uid: undefined,
        attempt: undefined,
        due: undefined,
      };
    const [user] = await getAll(firestore.collection(names.users).doc(verification.uid));
    const current = readUserVerification(user);
    const currentAttempt = readUserAttempt(user);
    let held: LinkedVerification | undefined;
    if (current && current.key !== key) {
      const [other] = await getAll(firestore.collection(names.verifications).doc(current.key));
      held = await linkedOf(other, current.key);
    }
    const plan = planUserRecord(verification, held, current, rule);
    // The decision the record shows once this plan is written: the attempt must be newer.
    const shown = plan.kind === "write" ? plan.record : current;
    const decidedAt =
      shown && isDecision(shown.status) ? (shown.reviewedAt ?? undefined) : undefined;
    const attempt = planAttempt(verification, currentAttempt, decidedAt);
    const stored = user?.get(EXPIRY_DUE_FIELD) as unknown;
    const storedDue = stored instanceof Timestamp ? stored.toMillis() : undefined;
    const due = expiryDue(shown);
    // The indexed field follows the record shown: set, moved, or deleted once flagged.
    const dueChange = due === storedDue ? undefined : due === undefined ? null : due;
    return { plan, current, uid: verification.uid, attempt, due: dueChange };
  }

  return {
    async sync(key) {
      const firestore = db();
      // The claim the record calls for, once it has been set in this sync.
      let claimed: Claimed | undefined;
      const rule = expiry?.();
      for (let attempt = 1; attempt <= MAX_PLANS; attempt++) {
        // One transaction plans from fresh reads and writes the record, unless the plan needs a
        // claim not yet set: then it ends without writing, the claim is set, and it runs again.
        const outcome = await firestore.runTransaction(async (tx): Promise<Planned> => {
          const gathered = await gather((...refs) => tx.getAll(...refs), key, rule);
          const { plan } = gathered;
          if (plan.kind === "write" && plan.claim !== undefined) {
            const wanted = { uid: plan.uid, claim: plan.claim, ageOver: plan.ageOver ?? {} };
            if (!isDeepStrictEqual(claimed, wanted)) return { claim: wanted };
          }
          const update: Record<string, unknown> = {};
          if (plan.kind === "write" && !isDeepStrictEqual(gathered.current, plan.record)) {
            update.verification = userVerificationDocument(plan.record);
          }
          if (gathered.attempt !== undefined) {
            update.attempt =
              gathered.attempt === null ? FieldValue.delete() : attemptDocument(gathered.attempt);
          }
          if (gathered.due !== undefined) {
            update[EXPIRY_DUE_FIELD] =
              gathered.due === null ? FieldValue.delete() : Timestamp.fromMillis(gathered.due);
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
        const { uid, claim, ageOver } = outcome.claim;
        await claims.setIdentityVerified(uid, claim, ageOver);
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
