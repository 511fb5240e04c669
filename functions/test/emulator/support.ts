import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import dotenv from "dotenv";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const PROJECT = "demo-passbase";
export const REGION = "us-central1";

/** The first (newest) key of the webhook secret the Functions emulator loaded from .secret.local. */
export function localWebhookSecret(): string {
  const file = join(__dirname, "..", "..", ".secret.local");
  const value = dotenv.parse(readFileSync(file, "utf8")).PASSBASE_WEBHOOK_SECRET;
  const newest = value?.split("\n")[0];
  if (!newest) throw new Error(`${file} holds no PASSBASE_WEBHOOK_SECRET`);
  return newest;
}

/** The base URL of the `widgets` function on the Functions emulator, asked of the emulator hub. */
export async function widgetsUrl(): Promise<string> {
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  const res = await fetch(`http://${hub ?? ""}/emulators`);
  const emulators = (await res.json()) as { functions?: { host: string; port: number } };
  if (!emulators.functions) throw new Error("the Functions emulator is not running");
  const { host, port } = emulators.functions;
  return `http://${host}:${port}/${PROJECT}/${REGION}/widgets`;
}

/** An Admin SDK app on the Firestore emulator (FIRESTORE_EMULATOR_HOST is set by emulators:exec). */
export function firestoreApp(): { app: App; db: Firestore; close: () => Promise<void> } {
  const app = initializeApp({ projectId: PROJECT }, `test-${Math.random().toString(36).slice(2)}`);
  return { app, db: getFirestore(app), close: () => deleteApp(app) };
}

/** POSTs a body to the webhook route, as Passbase does (text/plain unless told otherwise). */
export async function postWebhook(
  base: string,
  body: string | Buffer,
  headers: Record<string, string> = { "Content-Type": "text/plain" },
): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await fetch(`${base}/webhooks`, { method: "POST", body, headers });
  return {
    status: res.status,
    text: await res.text(),
    contentType: res.headers.get("content-type"),
  };
}

/** Every document in the database, by path, with its update time: to prove nothing was written. */
export async function snapshotAll(db: Firestore): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  const verifications = await db.collection("verifications").get();
  for (const doc of verifications.docs) all.set(doc.ref.path, doc.updateTime.valueOf());
  const events = await db.collectionGroup("events").get();
  for (const doc of events.docs) all.set(doc.ref.path, doc.updateTime.valueOf());
  return all;
}
