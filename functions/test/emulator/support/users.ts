import type { Auth } from "firebase-admin/auth";
import { createSignedInUser } from "../../../scripts/emulators/local.cjs";

/** Creates a user in the Auth emulator and signs in as the client SDK would: returns an ID token. */
export function signedInUser(auth: Auth): Promise<{ uid: string; idToken: () => Promise<string> }> {
  return createSignedInUser(auth, process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "", "user");
}
