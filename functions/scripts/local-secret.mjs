// The local webhook secret for the emulators: functions/.secret.local, which git ignores.
import dotenv from "dotenv";
import { randomInt } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SECRET_NAME = "PASSBASE_WEBHOOK_SECRET";
export const secretFile = join(dirname(fileURLToPath(import.meta.url)), "..", ".secret.local");

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random 32-character secret, as Passbase's dashboard expects (32 ASCII characters = 32 bytes). */
export function randomSecret() {
  return Array.from({ length: 32 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

/**
 * Creates functions/.secret.local with a random webhook secret unless it already holds one.
 * Returns whether it wrote the file.
 */
export function ensureLocalSecret() {
  if (existsSync(secretFile) && readLocalSecret() !== undefined) return false;
  const existing = existsSync(secretFile) ? readFileSync(secretFile, "utf8") : "";
  const separator = existing && !existing.endsWith("\n") ? "\n" : "";
  writeFileSync(secretFile, `${existing}${separator}${SECRET_NAME}=${randomSecret()}\n`, {
    mode: 0o600,
  });
  return true;
}

/** The webhook secret the local emulators use (all its lines), or undefined when unset. */
export function readLocalSecret() {
  if (!existsSync(secretFile)) return undefined;
  const value = dotenv.parse(readFileSync(secretFile, "utf8"))[SECRET_NAME];
  return value ? value : undefined;
}
