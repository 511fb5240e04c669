import type { AuthEvent, User } from "firebase-functions/identity";
import type { Erasure } from "../background/erase";
import type { Logs } from "../logs";
import { isUsableUid } from "../verification/uid";

/** The deleted user's uid: the event's user, else its subject (`users/{uid}`). */
export function deletedUid(event: Pick<AuthEvent<User>, "data" | "subject">): string | undefined {
  const uid =
    (event.data as Partial<User> | undefined)?.uid ?? event.subject?.replace(/^users\//, "");
  return isUsableUid(uid) ? uid : undefined;
}

/**
 * `onUserDeleted`: when a Firebase Auth user is deleted, erases their verification data, here and
 * (through the check queue) at each provider. Idempotent: a retried event finds what is left.
 */
export function createOnUserDeleted(deps: { erasure: Pick<Erasure, "eraseUser">; logs: Logs }) {
  return async (event: Pick<AuthEvent<User>, "data" | "subject">): Promise<void> => {
    const uid = deletedUid(event);
    if (uid === undefined) {
      deps.logs.erasureUnnamed();
      return;
    }
    await deps.erasure.eraseUser(uid, "account-deleted");
  };
}
