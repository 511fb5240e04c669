import { readFileSync } from "node:fs";
import { join } from "node:path";
import { functionsDir, localParams, readLocalSecret } from "../../../scripts/emulators/local.cjs";
export { REGION } from "../../../src/params";

/** functions/: where the local secrets, the params files and the emulators' output are. */
export const FUNCTIONS_DIR = functionsDir;

/** The demo project the emulators run, as .firebaserc names it for `firebase emulators:*`. */
export const PROJECT = (
  JSON.parse(readFileSync(join(FUNCTIONS_DIR, "..", ".firebaserc"), "utf8")) as {
    projects: { default: string };
  }
).projects.default;

/** A secret the Functions emulator loaded from .secret.local (the first line: the newest key). */
export function localSecret(name = "PASSBASE_WEBHOOK_SECRET"): string {
  const newest = readLocalSecret(name)?.split("\n")[0];
  if (!newest) throw new Error(`functions/.secret.local holds no ${name}`);
  return newest;
}

/** A param as the emulated functions have it: .env.<project> over .env. */
export const functionParam = (name: string): string | undefined => localParams(PROJECT)[name];
