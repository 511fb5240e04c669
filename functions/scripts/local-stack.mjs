// Where the local stack lives: the project id and the emulator addresses, read from the same
// firebase.json and .firebaserc that `firebase emulators:*` read, so nothing is configured twice.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "..");
export const repoDir = join(functionsDir, "..");
export const REGION = "us-central1";

const readJson = (file) => JSON.parse(readFileSync(join(repoDir, file), "utf8"));

/** The demo project and the emulators' host:port, as firebase.json sets them. */
export function localStack() {
  const project = readJson(".firebaserc").projects.default;
  const emulators = readJson("firebase.json").emulators;
  const hostOf = (name) => `${emulators[name].host}:${emulators[name].port}`;
  const functions = `http://${hostOf("functions")}/${project}/${REGION}`;
  return {
    project,
    region: REGION,
    hub: hostOf("hub"),
    firestore: hostOf("firestore"),
    auth: hostOf("auth"),
    functionsBase: functions,
    webhookUrl: `${functions}/widgets/webhooks`,
  };
}

/**
 * Reads a document from the Firestore emulator over REST, as an admin: "Bearer owner" is the
 * emulator's admin token, which bypasses the security rules. Returns its fields, or undefined.
 */
export async function readEmulatorDocument(firestore, project, path) {
  const url = `http://${firestore}/v1/projects/${project}/databases/(default)/documents/${path}`;
  const res = await fetch(url, { headers: { Authorization: "Bearer owner" } });
  if (!res.ok) return undefined;
  return (await res.json()).fields ?? {};
}
