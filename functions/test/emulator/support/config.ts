import dotenv from "dotenv";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
export { REGION } from "../../../src/params";

/** functions/: where the local secrets and the params files are. */
export const FUNCTIONS_DIR = join(__dirname, "..", "..", "..");

/** The demo project the emulators run, as .firebaserc names it for `firebase emulators:*`. */
export const PROJECT = (
  JSON.parse(readFileSync(join(FUNCTIONS_DIR, "..", ".firebaserc"), "utf8")) as {
    projects: { default: string };
  }
).projects.default;

/** A secret the Functions emulator loaded from .secret.local (the first line: the newest key). */
export function localSecret(name = "PASSBASE_WEBHOOK_SECRET"): string {
  const file = join(FUNCTIONS_DIR, ".secret.local");
  const newest = dotenv.parse(readFileSync(file, "utf8"))[name]?.split("\n")[0];
  if (!newest) throw new Error(`${file} holds no ${name}`);
  return newest;
}

/** A param as the emulated functions have it: .env.<project> over .env. */
export function functionParam(name: string): string | undefined {
  const read = (file: string) =>
    existsSync(join(FUNCTIONS_DIR, file))
      ? dotenv.parse(readFileSync(join(FUNCTIONS_DIR, file), "utf8"))
      : {};
  return read(`.env.${PROJECT}`)[name] ?? read(".env")[name];
}
