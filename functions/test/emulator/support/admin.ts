import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getAuth, type Auth } from "firebase-admin/auth";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import { localSecret, PROJECT } from "./config";
import { widgetsUrl } from "./functions";

/**
 * An Admin SDK app on the emulators: emulators:exec sets FIRESTORE_EMULATOR_HOST and
 * FIREBASE_AUTH_EMULATOR_HOST, which the Admin SDK follows.
 */
export function firestoreApp(): {
  app: App;
  db: Firestore;
  auth: Auth;
  close: () => Promise<void>;
} {
  const app = initializeApp({ projectId: PROJECT }, `test-${Math.random().toString(36).slice(2)}`);
  return { app, db: getFirestore(app), auth: getAuth(app), close: () => deleteApp(app) };
}

/** What a suite needs from the running emulators; set in beforeAll, before the first test. */
export interface EmulatorContext {
  base: string;
  secret: string;
  app: App;
  db: Firestore;
  auth: Auth;
}

/** Connects a suite to the emulators (the widgets URL, the local secret, Admin SDK clients). */
export function connectToEmulators(): EmulatorContext {
  const context = {} as EmulatorContext;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const admin = firestoreApp();
    close = admin.close;
    Object.assign(context, {
      base: await widgetsUrl(),
      secret: localSecret(),
      app: admin.app,
      db: admin.db,
      auth: admin.auth,
    });
  });
  afterAll(async () => {
    await close?.();
  });
  return context;
}

/**
 * The path of every verification and audit entry in the database: to prove a request created
 * nothing. (Update times would also move with the details trigger's writes for earlier tests.)
 */
export async function allPaths(db: Firestore): Promise<string[]> {
  const [verifications, events] = await Promise.all([
    db.collection("verifications").get(),
    db.collectionGroup("events").get(),
  ]);
  return [...verifications.docs, ...events.docs].map((doc) => doc.ref.path).sort();
}

/**
 * The paths written between two `allPaths` readings, but for the audit entries that background
 * work (other suites' check tasks, still draining) adds under verifications that already existed:
 * what a request between the readings wrote, if anything.
 */
export function writtenSince(before: string[], after: string[]): string[] {
  const had = new Set(before);
  return after.filter((path) => {
    if (had.has(path)) return false;
    const parent = /^(verifications\/[^/]+)\/events\/[^/]+$/.exec(path)?.[1];
    return !(parent && had.has(parent));
  });
}
