import {
  FieldValue,
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
} from "firebase-admin/firestore";
import type { StartedBefore } from "../providers/contract";
import { DEFAULT_NAMES } from "./names";
import { startLeaseId, type Lease } from "./starts";
import {
  decideLink,
  type CurrentLink,
  type LinkedBy,
  type LinkOutcome,
} from "../verification/link";
import {
  detailsPending,
  firstCheck,
  isErased,
  type FirstCheckOptions,
  type StateReader,
} from "./verification-store";

/** Under a verification: one document per uid that disputed its link, for the operator. */
export const LINK_CONFLICTS = "linkConflicts";

/** Binds verifications to users. */
export interface LinkStore {
  /**
   * Links `key`, a verification of `provider`, to `uid`: `foreign` when it is stored for
   * another provider, whose verifications a link for this one never touches; `erased` when its
   * data was erased, which nothing links again; `lease-lost` when `lease` is no longer its
   * holder's (it expired, and an erasure or another start took it over): nothing is linked.
   */
  link(
    key: string,
    uid: string,
    by: LinkedBy,
    provider: string,
    /** What resuming it needs (a provider's session URL): kept as `start`, for its user only. */
    kept?: Record<string, string>,
    /** The caller's lease on `uid` at `provider`, held for the link to land under. */
    lease?: Lease,
  ): Promise<LinkOutcome | "foreign" | "erased" | "lease-lost">;
  /** A user's verifications with `provider`, as `startVerification` reads them. */
  verificationsOf(uid: string, provider: string): Promise<StartedBefore[]>;
}

/** What a verification's start kept for its provider (`start`), if anything. */
export function readKept(snapshot: DocumentSnapshot): Record<string, unknown> | undefined {
  const kept: unknown = snapshot.get("start");
  return typeof kept === "object" && kept !== null ? (kept as Record<string, unknown>) : undefined;
}

/** Whether a lease document is still `lease`'s, unexpired at `nowMs`. */
function holds(held: DocumentSnapshot, lease: Lease | undefined, nowMs: number): boolean {
  const until: unknown = held.get("until");
  return (
    held.get("holder") === lease?.holder && until instanceof Timestamp && until.toMillis() > nowMs
  );
}

/** The link a verification holds; links made before `linkedBy` existed count as the user's. */
export function readLink(snapshot: DocumentSnapshot | undefined): CurrentLink | undefined {
  const uid: unknown = snapshot?.get("uid");
  if (typeof uid !== "string") return undefined;
  return { uid, by: snapshot?.get("linkedBy") === "metadata" ? "metadata" : "user" };
}

/**
 * The Firestore adapter for links: one transaction, so that of two users racing for a key exactly
 * one wins. The webhook receiver writes the same document with `merge`, so neither side loses
 * the other's fields, whichever comes first. A conflict is marked on the verification
 * (`linkConflict`), which withholds the claim until an operator resolves it, and the disputing
 * uid is kept in `linkConflicts/{uid}`.
 */
export function createLinkStore(
  db: () => Firestore,
  states: Pick<StateReader, "providerOf">,
  options: FirstCheckOptions,
): LinkStore {
  const { checkAfterMinutes, now = Date.now, names = DEFAULT_NAMES } = options;
  return {
    async verificationsOf(uid, provider) {
      const found = await db()
        .collection(names.verifications)
        .where("uid", "==", uid)
        .where("provider", "==", provider)
        .get();
      return found.docs.map((doc) => {
        const linkedAt: unknown = doc.get("linkedAt");
        return {
          id: doc.id,
          uid,
          providerStatus: doc.get("providerStatus") as unknown,
          startedAtMs: linkedAt instanceof Timestamp ? linkedAt.toMillis() : undefined,
          kept: readKept(doc),
        };
      });
    },

    async link(key, uid, by, provider, kept, lease) {
      const firestore = db();
      const ref = firestore.collection(names.verifications).doc(key);
      const leaseRef = lease && firestore.collection(names.starts).doc(startLeaseId(provider, uid));
      return firestore.runTransaction(async (tx) => {
        const [snapshot, held] = await Promise.all([
          tx.get(ref),
          leaseRef ? tx.get(leaseRef) : Promise.resolve(undefined),
        ]);
        // Ordered against an erasure: it takes the user's leases before it looks for their links,
        // so a link lands either before it looks (and is erased) or under a lease it never held.
        if (held && !holds(held, lease, now())) return "lease-lost";
        if (snapshot.exists && states.providerOf(snapshot.get("provider")) !== provider) {
          return "foreign";
        }
        if (isErased(snapshot)) return "erased";
        const decision = decideLink(readLink(snapshot), { uid, by });
        if (decision.outcome === "conflict") {
          // The other uid goes where no client reads (the linked user can read the verification).
          // Marked once: every later look at the same identity finds the same conflict.
          const disputed = ref.collection(LINK_CONFLICTS).doc(decision.conflict.uid);
          if (!(await tx.get(disputed)).exists) {
            const mark = { by: decision.conflict.by, at: FieldValue.serverTimestamp() };
            tx.set(ref, { linkConflict: mark }, { merge: true });
            // The uid as a field too: erasure finds a user's disputes by it.
            tx.set(disputed, { ...mark, uid: decision.conflict.uid });
          }
        } else if (decision.write) {
          // Linked before any webhook: if none ever comes, reconciliation asks the API.
          const silent = snapshot.get("status") === undefined;
          // Unresolved until its decision's details are stored: now someone's, it is scheduled
          // among the linked ones, whatever looks it had while nobody's.
          const resolved = snapshot.get("detailsPending") === false;
          tx.set(
            ref,
            {
              uid,
              linkedBy: decision.write.by,
              linkedAt: FieldValue.serverTimestamp(),
              provider,
              ...(kept ? { start: kept } : {}),
              ...(silent ? detailsPending() : {}),
              ...(resolved ? {} : firstCheck(now() + checkAfterMinutes() * 60_000)),
            },
            { merge: true },
          );
        }
        return decision.outcome;
      });
    },
  };
}
