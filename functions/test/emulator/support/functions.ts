import { localAppCheckToken } from "../../../scripts/emulators/local.cjs";
import { PROJECT, REGION } from "./config";

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
 * Calls a callable function over HTTP exactly as the client SDK does, with the local stack's App
 * Check token (`APP_CHECK=enforce` there) unless told not to.
 */
export async function callFunction(
  name: string,
  data: unknown,
  idToken?: string,
  options: { appCheck?: boolean } = {},
): Promise<{
  status: number;
  body: { result?: unknown; error?: { status: string; message: string } };
}> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (idToken) headers.Authorization = `Bearer ${idToken}`;
  if (options.appCheck !== false) headers["X-Firebase-AppCheck"] = localAppCheckToken();
  const res = await fetch(await functionUrl(name), {
    method: "POST",
    headers,
    body: JSON.stringify({ data }),
  });
  return { status: res.status, body: (await res.json()) as never };
}

/** What `startVerification` answers the user for `provider`: it must succeed. */
export async function startedFor<Result extends { id: string }>(
  provider: string,
  user: { idToken: () => Promise<string> },
): Promise<Result> {
  const answer = await callFunction("startVerification", { provider }, await user.idToken());
  if (answer.status !== 200) {
    throw new Error(`startVerification for ${provider} answered ${String(answer.status)}`);
  }
  return answer.body.result as Result;
}
