// What the local stack is doing, read from outside it: function runs from the Functions
// emulator's log (which `npm run bench` keeps), and the emulator's worker processes from /proc.
import { readdirSync, readFileSync } from "node:fs";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check()` is true, polling every 200 ms; throws after `timeoutMs`. */
export async function until(check, what, timeoutMs = 30_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(200)) {
    if (await check()) return;
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

/** Runs begun and finished per function (`names`), counted in the emulator's log. */
export function executions(logFile, region, names) {
  const log = readFileSync(logFile, "utf8");
  const count = (text) => log.split(text).length - 1;
  return Object.fromEntries(
    names.map((name) => [
      name,
      {
        begun: count(`Beginning execution of "${region}-${name}"`),
        finished: count(`Finished "${region}-${name}"`),
      },
    ]),
  );
}

/** Waits until every run of `names` has finished and none has begun for 2 s; returns the counts. */
export async function quiet(logFile, region, names, timeoutMs = 60_000) {
  let last = JSON.stringify(executions(logFile, region, names));
  let stableSince = Date.now();
  await until(
    async () => {
      const now = JSON.stringify(executions(logFile, region, names));
      if (now !== last) [last, stableSince] = [now, Date.now()];
      const idle = Object.values(JSON.parse(now)).every((e) => e.begun === e.finished);
      return idle && Date.now() - stableSince >= 2000;
    },
    "the background work settling",
    timeoutMs,
  );
  return JSON.parse(last);
}

/** The Functions emulator's worker processes alive now: one per execution in flight, or idle. */
export function workersAlive() {
  let alive = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("functionsEmulatorRuntime")) {
        alive++;
      }
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return alive;
}

/** Samples `workersAlive()` every `everyMs` until `stop()`, which returns the peak seen. */
export function watchWorkers(everyMs = 25) {
  let peak = workersAlive();
  const timer = setInterval(() => {
    peak = Math.max(peak, workersAlive());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, workersAlive());
    },
  };
}
