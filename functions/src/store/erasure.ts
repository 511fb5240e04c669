import { FieldValue, Timestamp, type Firestore } from "firebase-admin/firestore";
import type { ApiFailure } from "../providers/api-request";
import type { Erased } from "../providers/contract";
import { readKept, readLink, LINK_CONFLICTS } from "./links";
import { DEFAULT_NAMES, EXPIRY_DUE_FIELD } from "./names";
import { isErased, type FirstCheckOptions, type StateReader } from "./verification-store";

/** Why a user's verifications are erased: their account was deleted, or they asked. */
export type ErasureReason = "account-deleted" | "requested";

/**
 * Where a verification's erasure at its provider stands: asked for, done, waiting for the
 * provider (reconciliation tries again), or refused for good (an operator must act).
 */
export type ErasureState = "requested" | "done" | "waiting" | "failed";

/** A verification erased here, as its provider's erasure reads it. */
export interface Tombstone {
  provider: string | undefined;
  state: ErasureState;
  /** What its start kept for its provider (an applicant's id): until the provider's erasure. */
  kept: Readonly<Record<string, unknown>> | undefined;
}

/** The provider's answer to an erasure, as recorded on the tombstone. */
export type ErasureRecord =
  | ({ state: "done"; attempts: number } & Erased)
  | {
      state: "waiting" | "failed";
      failure: ApiFailure | "off";
      status: number | null;
      message: string;
      code?: string;
      attempts: number;
    };

export interface ErasureStore {
  /** The verifications linked to `uid`, and those whose link `uid` disputed. */
  find(uid: string): Promise<string[]>;
  /**
   * Makes one a tombstone: its provider, `erasedAt`, and the erasure's state; no link, no
   * details, no conflicts, and no user record of it. Returns its provider (as stored, when this
   * deployment no longer chooses it), or undefined when there is nothing to erase (gone, or
   * erased before). The audit trail stays.
   */
  tombstone(
    key: string,
    uid: string,
    reason: ErasureReason,
  ): Promise<{ provider: string | undefined } | undefined>;
  /**
   * Forgets the user: this backend's fields of `users/{uid}` (`verification`, `attempt`), and the
   * document with them when nothing else is left in it. The app's own fields are the app's: in a
   * team's project the users collection is the team's, and this backend never deletes its data.
   */
  forget(uid: string): Promise<void>;
  read(key: string): Promise<Tombstone | undefined>;
  /**
   * Records the provider's answer, never over a finished erasure; whether it changed the state,
   * so that a refusal is reported once.
   */
  record(key: string, result: ErasureRecord): Promise<boolean>;
}

/** The fields of a tombstone that keep reconciliation coming back until the provider has erased. */
/** This backend's fields of `users/{uid}`. */
const OURS = new Set(["verification", "attempt", EXPIRY_DUE_FIELD]);

const untilErased = { nextCheckAt: FieldValue.delete(), checks: FieldValue.delete() };

/**
 * The Firestore adapter for erasure. Each tombstone is one transaction that replaces the
 * verification whole, so that nothing of it outlives the erasure but what the provider's call
 * needs, and so that a sync planning from the old document starts again and finds no link.
 */
export function createErasureStore(
  db: () => Firestore,
  states: Pick<StateReader, "providerOf">,
  options: FirstCheckOptions,
): ErasureStore {
  const { checkAfterMinutes, now = Date.now, names = DEFAULT_NAMES } = options;
  const verification = (key: string) => db().collection(names.verifications).doc(key);

  return {
    async find(uid) {
      const [linked, disputed] = await Promise.all([
        db().collection(names.verifications).where("uid", "==", uid).select().get(),
        db().collectionGroup(LINK_CONFLICTS).where("uid", "==", uid).select().get(),
      ]);
      const keys = new Set(linked.docs.map((doc) => doc.id));
      for (const doc of disputed.docs) {
        const parent = doc.ref.parent.parent;
        // Only this deployment's: another instance's verifications dispute links too.
        if (parent?.parent.id === names.verifications) keys.add(parent.id);
      }
      return [...keys];
    },

    tombstone(key, uid, reason) {
      const firestore = db();
      const ref = verification(key);
      return firestore.runTransaction(async (tx) => {
        const [snapshot, conflicts] = await Promise.all([
          tx.get(ref),
          tx.get(ref.collection(LINK_CONFLICTS)),
        ]);
        if (!snapshot.exists || isErased(snapshot)) return undefined;
        // Another user's record that shows this verification (it was theirs, disputed by `uid`)
        // stops showing it; the erased user's own record is forgotten whole afterwards.
        const linked = readLink(snapshot)?.uid;
        const other =
          linked !== undefined && linked !== uid
            ? await tx.get(firestore.collection(names.users).doc(linked))
            : undefined;
        // A provider no longer chosen keeps its name: its erasure is then reported, not misrouted.
        const stored: unknown = snapshot.get("provider");
        const provider =
          states.providerOf(stored) ?? (typeof stored === "string" ? stored : undefined);
        const kept = readKept(snapshot);
        tx.set(ref, {
          ...(provider === undefined ? {} : { provider }),
          erasedAt: FieldValue.serverTimestamp(),
          erasure: { state: "requested", reason },
          ...(kept ? { start: kept } : {}),
          // If the erasure task is lost, reconciliation queues it again.
          nextCheckAt: Timestamp.fromMillis(now() + checkAfterMinutes() * 60_000),
          checks: 0,
        });
        for (const conflict of conflicts.docs) tx.delete(conflict.ref);
        if (other?.exists) {
          const shows = (field: string) => other.get(`${field}.key`) === key;
          const cleared = {
            ...(shows("verification")
              ? { verification: FieldValue.delete(), [EXPIRY_DUE_FIELD]: FieldValue.delete() }
              : {}),
            ...(shows("attempt") ? { attempt: FieldValue.delete() } : {}),
          };
          if (Object.keys(cleared).length > 0) tx.update(other.ref, cleared);
        }
        return { provider };
      });
    },

    async forget(uid) {
      const firestore = db();
      const user = firestore.collection(names.users).doc(uid);
      await firestore.runTransaction(async (tx) => {
        const snapshot = await tx.get(user);
        if (!snapshot.exists) return;
        const others = Object.keys(snapshot.data() ?? {}).filter((field) => !OURS.has(field));
        if (others.length === 0) tx.delete(user);
        else
          tx.update(
            user,
            Object.fromEntries([...OURS].map((field) => [field, FieldValue.delete()])),
          );
      });
    },

    async read(key) {
      const snapshot = await verification(key).get();
      if (!isErased(snapshot)) return undefined;
      return {
        provider: states.providerOf(snapshot.get("provider")),
        state: snapshot.get("erasure.state") as ErasureState,
        kept: readKept(snapshot),
      };
    },

    record(key, result) {
      const ref = verification(key);
      return db().runTransaction(async (tx) => {
        const snapshot = await tx.get(ref);
        const state: unknown = snapshot.get("erasure.state");
        if (!isErased(snapshot) || state === "done") return false;
        const erasure = {
          ...Object.fromEntries(Object.entries(result).filter(([, value]) => value !== undefined)),
          reason: (snapshot.get("erasure.reason") as unknown) ?? null,
          at: FieldValue.serverTimestamp(),
        };
        tx.update(ref, {
          erasure,
          // Done: what the call needed goes too. Refused: kept, for an operator's retry.
          ...(result.state === "done" ? { start: FieldValue.delete() } : {}),
          ...(result.state === "waiting" ? {} : untilErased),
        });
        return state !== result.state;
      });
    },
  };
}
