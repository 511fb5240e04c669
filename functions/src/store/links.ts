import { FieldValue, type Firestore } from "firebase-admin/firestore";
import { decideLink, type LinkOutcome } from "../verification/link";
import { detailsPending, VERIFICATIONS } from "./verification-store";

/** Binds verifications to users. */
export interface LinkStore {
  link(key: string, uid: string): Promise<LinkOutcome>;
}

/**
 * The Firestore adapter for links: one transaction, so that of two users racing for a key exactly
 * one wins. The webhook receiver writes the same document with `merge`, so neither side loses
 * the other's fields, whichever comes first.
 */
export function createLinkStore(db: () => Firestore): LinkStore {
  return {
    async link(key, uid) {
      const firestore = db();
      const ref = firestore.collection(VERIFICATIONS).doc(key);
      return firestore.runTransaction(async (tx) => {
        const snapshot = await tx.get(ref);
        const current: unknown = snapshot.get("uid");
        const outcome = decideLink(typeof current === "string" ? current : undefined, uid);
        if (outcome === "linked") {
          // Linked before any webhook: if none ever comes, reconciliation asks the API.
          const silent = snapshot.get("status") === undefined;
          tx.set(
            ref,
            { uid, linkedAt: FieldValue.serverTimestamp(), ...(silent ? detailsPending() : {}) },
            { merge: true },
          );
        }
        return outcome;
      });
    },
  };
}
