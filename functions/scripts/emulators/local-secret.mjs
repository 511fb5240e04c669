// The local secrets for the emulators: functions/.secret.local, which git ignores.
import dotenv from "dotenv";
import local from "./local.cjs";
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { TOOLS } from "../dev/tools.mjs";

export const { secretFile } = local;

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random 32-character secret, as Passbase's dashboard expects (32 ASCII characters = 32 bytes). */
export function randomSecret() {
  return Array.from({ length: 32 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

// Every secret the functions declare needs a local value: for a missing one, the Functions
// emulator would try Secret Manager instead. Each provider's tools say what its secrets look like;
// its API key is the local stand-in's.
const defaults = () =>
  Object.fromEntries(
    TOOLS.flatMap((tools) =>
      Object.entries(tools.localSecrets).map(([name, secret]) => [name, secret]),
    ),
  );

/** What a local secret is, for the line that says it was added. */
export const localSecretWhat = (name) => defaults()[name]?.what ?? "a random local value";

/**
 * Adds a random value to functions/.secret.local for each secret it does not hold yet, creating
 * the file if needed. Returns the names it added.
 */
export function ensureLocalSecrets() {
  const existing = existsSync(secretFile) ? readFileSync(secretFile, "utf8") : "";
  const values = dotenv.parse(existing);
  const secrets = defaults();
  const added = Object.keys(secrets).filter((name) => !values[name]);
  if (added.length === 0) return added;
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  const lines = added.map((name) => `${name}=${secrets[name].make(randomSecret)}\n`).join("");
  writeFileSync(secretFile, `${existing}${separator}${lines}`, { mode: 0o600 });
  return added;
}

/** A secret the local emulators use (all its lines), or undefined when unset. */
export const readLocalSecret = (name) => local.readLocalSecret(name);
