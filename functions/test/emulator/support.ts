import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getAuth, type Auth } from "firebase-admin/auth";
import { getFirestore, type Firestore } from "firebase-admin/firestore";
import dotenv from "dotenv";
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const PROJECT = "demo-passbase";
/** Every webhook body the suites send, one per line (see scripts/check-logs.mjs). */
const SENT_BODIES = join(__dirname, "..", "..", ".emulators", "sent-bodies.txt");
export const REGION = "us-central1";

/** A secret the Functions emulator loaded from .secret.local (the first line: the newest key). */
export function localSecret(name = "PASSBASE_WEBHOOK_SECRET"): string {
  const file = join(__dirname, "..", "..", ".secret.local");
  const newest = dotenv.parse(readFileSync(file, "utf8"))[name]?.split("\n")[0];
  if (!newest) throw new Error(`${file} holds no ${name}`);
  return newest;
}

/** A param as the emulated functions have it: .env.<project> over .env. */
export function functionParam(name: string): string | undefined {
  const dir = join(__dirname, "..", "..");
  const read = (file: string) =>
    existsSync(join(dir, file)) ? dotenv.parse(readFileSync(join(dir, file), "utf8")) : {};
  return read(`.env.${PROJECT}`)[name] ?? read(".env")[name];
}

/** The emulators' output, which `npm run test:emulator` keeps (scripts/emulators.mjs --log). */
const EMULATOR_LOG = join(__dirname, "..", "..", ".emulators", "emulators.log");

/** How often the Functions emulator has begun and finished running a function, from its log. */
export function executions(name: string): { begun: number; finished: number } {
  const log = readFileSync(EMULATOR_LOG, "utf8");
  const count = (pattern: string) => log.split(pattern).length - 1;
  return {
    begun: count(`Beginning execution of "${REGION}-${name}"`),
    finished: count(`Finished "${REGION}-${name}"`),
  };
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

/** The stand-in for Passbase's API that scripts/emulators.mjs runs beside the emulators. */
export const standIn = {
  base: "http://127.0.0.1:5180",
  /** Scripts the answers for one identity, in turn, the last one repeating. */
  async program(key: string, responses: { status: number; body?: unknown; raw?: string }[]) {
    const res = await fetch(`${this.base}/__stand-in/identities/${key}`, {
      method: "PUT",
      body: JSON.stringify({ responses }),
    });
    if (!res.ok) throw new Error(`could not program the stand-in: ${res.status}`);
  },
  /** The requests the stand-in received for one identity. */
  async requests(key: string): Promise<{ headers: Record<string, string> }[]> {
    return (await (await fetch(`${this.base}/__stand-in/requests/${key}`)).json()) as never;
  },
};

/** The base URL of a function on the Functions emulator, asked of the emulator hub. */
export async function functionUrl(name: string): Promise<string> {
  const hub = process.env.FIREBASE_EMULATOR_HUB;
  const res = await fetch(`http://${hub ?? ""}/emulators`);
  const emulators = (await res.json()) as { functions?: { host: string; port: number } };
  if (!emulators.functions) throw new Error("the Functions emulator is not running");
  const { host, port } = emulators.functions;
  return `http://${host}:${port}/${PROJECT}/${REGION}/${name}`;
}

/**
 * Runs a scheduled function as Cloud Scheduler does in production: a 2nd-gen scheduled function
 * is an HTTP function that the scheduler's job POSTs to, naming itself in these headers.
 * The Functions emulator loads one only while the Pub/Sub emulator runs, yet its Pub/Sub path
 * cannot invoke a 2nd-gen one ("Unsupported trigger signature: http"), so this POSTs to the
 * route that path would use. Its key is the function's id and the emulator's load generation
 * (0: the suites never reload the functions). Resolves with the status once the run is over.
 */
export async function runSchedule(name: string): Promise<number> {
  const functions = new URL(await functionUrl(name)).origin;
  const trigger = `${REGION}-${name}-0`;
  const res = await fetch(`${functions}/functions/projects/${PROJECT}/triggers/${trigger}`, {
    method: "POST",
    headers: {
      "X-CloudScheduler-JobName": `firebase-schedule-${name}-${REGION}`,
      "X-CloudScheduler-ScheduleTime": new Date().toISOString(),
    },
  });
  await res.text();
  return res.status;
}

/** The base URL of the `widgets` function. */
export const widgetsUrl = () => functionUrl("widgets");

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

/** Creates a user in the Auth emulator and signs in as the client SDK would: returns an ID token. */
export async function signedInUser(
  auth: Auth,
): Promise<{ uid: string; idToken: () => Promise<string> }> {
  const email = `${randomUUID()}@example.com`;
  const password = "a-password-for-tests";
  const { uid } = await auth.createUser({ email, password });
  const idToken = async () => {
    const host = process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "";
    const res = await fetch(
      `http://${host}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`,
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email, password, returnSecureToken: true }),
      },
    );
    const body = (await res.json()) as { idToken?: string };
    if (!body.idToken) throw new Error(`sign-in failed: ${res.status}`);
    return body.idToken;
  };
  return { uid, idToken };
}

/** Calls a callable function over HTTP exactly as the client SDK does. */
export async function callFunction(
  name: string,
  data: unknown,
  idToken?: string,
): Promise<{
  status: number;
  body: { result?: unknown; error?: { status: string; message: string } };
}> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (idToken) headers.Authorization = `Bearer ${idToken}`;
  const res = await fetch(await functionUrl(name), {
    method: "POST",
    headers,
    body: JSON.stringify({ data }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/**
 * Polls until `check` returns a value that satisfies `done`, for the effects of triggers and
 * tasks; throws with the last value seen when `timeoutMs` runs out.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`still not done after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** POSTs a body to the webhook route, as Passbase does (text/plain unless told otherwise). */
export async function postWebhook(
  base: string,
  body: string | Buffer,
  headers: Record<string, string> = { "Content-Type": "text/plain" },
): Promise<{ status: number; text: string; contentType: string | null }> {
  // Kept for scripts/check-logs.mjs, which proves that no body reaches the functions' logs.
  if (body.length > 0) appendFileSync(SENT_BODIES, `${body.toString()}\n`);
  const res = await fetch(`${base}/webhooks`, { method: "POST", body, headers });
  return {
    status: res.status,
    text: await res.text(),
    contentType: res.headers.get("content-type"),
  };
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
