import { HttpsError, type CallableRequest } from "firebase-functions/https";
import type { Erasure } from "../background/erase";

/**
 * `eraseVerificationData`: the signed-in caller's verification data erased, as if their account
 * were deleted, but for the account itself and the app's own fields of their user document.
 * Answers once each provider's erasure is queued.
 */
export function createEraseVerificationData(deps: { erasure: Pick<Erasure, "eraseUser"> }) {
  return async (request: CallableRequest<unknown>): Promise<{ erased: number }> => {
    const uid = request.auth?.uid;
    if (!uid)
      throw new HttpsError("unauthenticated", "Sign in before erasing your verification data.");
    const { verifications } = await deps.erasure.eraseUser(uid, "requested");
    return { erased: verifications };
  };
}
