// The local secrets for the emulators: functions/.secret.local, which git ignores.
import dotenv from "dotenv";
import local from "./local.cjs";
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const SECRET_NAME = "PASSBASE_WEBHOOK_SECRET";
export const API_KEY_NAME = "PASSBASE_SECRET_API_KEY";
export const STRIPE_SECRET_NAME = "STRIPE_WEBHOOK_SECRET";
export const STRIPE_KEY_NAME = "STRIPE_SECRET_KEY";
export const PERSONA_SECRET_NAME = "PERSONA_WEBHOOK_SECRET";
export const PERSONA_KEY_NAME = "PERSONA_API_KEY";
export const { secretFile } = local;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random 32-character secret, as Passbase's dashboard expects (32 ASCII characters = 32 bytes). */
export function randomSecret() {
  return Array.from({ length: 32 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

// Every secret the functions declare needs a local value: for a missing one, the Functions
// emulator would try Secret Manager instead. The API key is the local stand-in's.
const defaults = {
  [SECRET_NAME]: randomSecret,
  [API_KEY_NAME]: () => `local-stand-in-${randomSecret()}`,
  [STRIPE_SECRET_NAME]: () => `whsec_local${randomSecret()}`,
  [STRIPE_KEY_NAME]: () => `rk_test_local${randomSecret()}`,
  [PERSONA_SECRET_NAME]: () => `wbhsec_local${randomSecret()}`,
  [PERSONA_KEY_NAME]: () => `persona_sandbox_local${randomSecret()}`,
};

/**
 * Adds a random value to functions/.secret.local for each secret it does not hold yet, creating
 * the file if needed. Returns the names it added.
 */
export function ensureLocalSecrets() {
  const existing = existsSync(secretFile) ? readFileSync(secretFile, "utf8") : "";
  const values = dotenv.parse(existing);
  const added = Object.keys(defaults).filter((name) => !values[name]);
  if (added.length === 0) return added;
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  const lines = added.map((name) => `${name}=${defaults[name]()}\n`).join("");
  writeFileSync(secretFile, `${existing}${separator}${lines}`, { mode: 0o600 });
  return added;
}

/** A secret the local emulators use (all its lines), or undefined when unset. */
export const readLocalSecret = (name = SECRET_NAME) => local.readLocalSecret(name);
