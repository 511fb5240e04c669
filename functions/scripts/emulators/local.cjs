// What the local tools and the emulator suites both read: the local secrets, the params files,
// and a user signed in to the Auth emulator. CommonJS, so that the TypeScript tests can load it
// as well as the scripts (local.d.cts types it).
const dotenv = require("dotenv");
const { randomUUID } = require("node:crypto");
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const functionsDir = join(__dirname, "..", "..");
exports.functionsDir = functionsDir;

/** functions/.secret.local, which git ignores: the emulated functions' secrets. */
const secretFile = join(functionsDir, ".secret.local");
exports.secretFile = secretFile;

const parse = (path) => (existsSync(path) ? dotenv.parse(readFileSync(path, "utf8")) : {});

/** A secret the local emulators use (all its lines), or undefined when unset. */
exports.readLocalSecret = (name) => parse(secretFile)[name] || undefined;

/** The params as the emulated functions have them: functions/.env.<project> over .env. */
exports.localParams = (project) => ({
  ...parse(join(functionsDir, ".env")),
  ...parse(join(functionsDir, `.env.${project}`)),
});

/**
 * A new user of the Auth emulator (`auth`, the Admin SDK's, on the emulator at `authHost`), and
 * its ID token as the client SDK gets it: signed in with a password.
 */
exports.createSignedInUser = async (auth, authHost, prefix = "user") => {
  const email = `${prefix}-${randomUUID()}@example.com`;
  const password = "a-local-password";
  const { uid } = await auth.createUser({ email, password });
  const idToken = async () => {
    const res = await fetch(
      `http://${authHost}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password, returnSecureToken: true }),
      },
    );
    const body = await res.json();
    if (!body.idToken) throw new Error(`sign-in failed: HTTP ${res.status}`);
    return body.idToken;
  };
  return { uid, idToken };
};

/**
 * An App Check token as the local stack takes it: the Functions emulator decodes App Check tokens
 * without verifying them (production verifies them with the Admin SDK), so a JWT-shaped token
 * naming the app is what a custom App Check provider hands the client locally. Sent as
 * `X-Firebase-AppCheck`.
 */
exports.localAppCheckToken = (appId = "local-web-app") => {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "none", typ: "JWT" })}.${part({ sub: appId, iat: now, exp: now + 3600 })}.local`;
};
