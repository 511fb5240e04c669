import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS_DIR, REGION } from "./config";
import { eventually } from "./eventually";

/** The emulators' output, which `npm run test:emulator` keeps (scripts/emulators/emulators.mjs --log). */
const EMULATOR_LOG = join(FUNCTIONS_DIR, ".emulators", "emulators.log");

/** How often the Functions emulator has begun and finished running a function, from its log. */
export function executions(name: string): { begun: number; finished: number } {
  const log = readFileSync(EMULATOR_LOG, "utf8");
  const count = (pattern: string) => log.split(pattern).length - 1;
  return {
    begun: count(`Beginning execution of "${REGION}-${name}"`),
    finished: count(`Finished "${REGION}-${name}"`),
  };
}

/** The functions' log lines (the emulator prints them behind ">  ") that hold every one of `parts`. */
export function functionLogLines(...parts: string[]): string[] {
  return readFileSync(EMULATOR_LOG, "utf8")
    .split("\n")
    .filter((line) => line.startsWith(">  ") && parts.every((part) => line.includes(part)));
}

/**
 * Resolves once no run of `name` that had begun by now is still going: a marker for "whatever
 * this function was doing is over", with no fixed sleep.
 */
export async function settled(name: string): Promise<void> {
  await eventually(
    () => Promise.resolve(executions(name)),
    ({ begun, finished }) => begun === finished,
  );
}
