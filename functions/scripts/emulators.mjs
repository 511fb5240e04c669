#!/usr/bin/env node
// Runs a command against the Firebase emulators (functions, firestore, auth), offline, on the demo
// project: `node scripts/emulators.mjs exec "<command>"`, the command run in functions/.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { EmulatorNotFound, firestoreEmulatorEnv } from "./firestore-emulator.mjs";
import { ensureLocalSecret, secretFile } from "./local-secret.mjs";

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PROJECT = "demo-passbase";
export const EMULATORS = "functions,firestore,auth";

const [verb, ...rest] = process.argv.slice(2);
if (verb !== "exec" || rest.length !== 1) {
  console.error('usage: node scripts/emulators.mjs exec "<command>"');
  process.exit(2);
}

let found;
try {
  found = firestoreEmulatorEnv();
} catch (error) {
  if (!(error instanceof EmulatorNotFound)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
console.log(`Firestore emulator: ${found.source}`);
if (ensureLocalSecret()) console.log(`Created ${secretFile} with a random webhook secret.`);

const firebase = join(functionsDir, "node_modules", ".bin", "firebase");
const child = spawn(
  firebase,
  ["emulators:exec", "--only", EMULATORS, "--project", PROJECT, rest[0]],
  {
    cwd: functionsDir,
    stdio: "inherit",
    // No metadata server here: keep the Google auth library from probing for one.
    env: { METADATA_SERVER_DETECTION: "none", ...process.env, ...found.env },
  },
);
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
