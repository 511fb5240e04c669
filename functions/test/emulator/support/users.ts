import type { Auth } from "firebase-admin/auth";
import { randomUUID } from "node:crypto";

/** Creates a user in the Auth emulator and signs in as the client SDK would: returns an ID token. */
export async function signedInUser(
  auth: Auth,
): Promise<{ uid: string; idToken: () => Promise<string> }> {
  const email = `${randomUUID()}@example.com`;
  const password = "a-password-for-tests";
  const { uid } = await auth.createUser({ email, password });
  const idToken = async () => {
    const host = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "";
    const res = await fetch(
      `http://${host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password, returnSecureToken: true }),
      },
    );
    const body = (await res.json()) as { idToken?: string };
    if (!body.idToken) throw new Error(`sign-in failed: ${res.status}`);
    return body.idToken;
  };
  return { uid, idToken };
}
