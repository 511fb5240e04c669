#!/usr/bin/env node
// `npm run bench`: the receiver measured beside its baselines, in one process and one run on the
// Firestore emulator, so that the ratios are fair on a noisy machine. Prints a table and writes
// bench-results.json. Run it through `npm run bench` (which starts the emulator).
import { createDecipheriv, randomUUID } from "node:crypto";
import { spawnSync } from "node:child_process";
import { writeFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pLimit from "p-limit";
import { functionsDir, localStack, repoDir } from "../emulators/local-stack.mjs";
import { TOOLS, toolsOf } from "../dev/tools.mjs";
import { latencySvg } from "./chart.mjs";

const require = createRequire(import.meta.url);
const lib = (path) => require(join(functionsDir, "lib", path));
const { encryptPayload } = lib("providers/passbase/crypto.js");
const { openDelivery } = lib("providers/passbase/delivery.js");
const { mergeState } = lib("verification/observation.js");
const { observeEvent } = lib("providers/passbase/observe.js");
const { createApp } = lib("http/app.js");
const { createVerificationStore } = lib("store/verification-store.js");
const { statesOf } = lib("services.js");
const { eventRecording } = lib("providers/passbase/module.js");
const { initializeApp } = require("firebase-admin/app");
const { getFirestore } = require("firebase-admin/firestore");
const express = require("express");

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error("Run this through `npm run bench`: it needs the Firestore emulator.");
  process.exit(2);
}
// Passbase's route is `real`, measured against the baselines, which decrypt with the same key.
const SECRET = toolsOf("passbase").bench.env.PASSBASE_WEBHOOK_SECRET;
const KEY = Buffer.from(SECRET);
const now = Math.floor(Date.now() / 1000);
const event = (key, type = "VERIFICATION_COMPLETED", status = "pending") => ({
  event: type,
  key,
  status,
  created: now,
  updated: now + 60,
  processed: now + 60,
});
const body = (payload) => encryptPayload(JSON.stringify(payload), KEY);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** The floor of every measurement: base64, AES-256-CBC and JSON.parse, nothing else. */
const decrypt = (raw) => {
  const bytes = Buffer.from(raw.toString("latin1"), "base64");
  const d = createDecipheriv("aes-256-cbc", KEY, bytes.subarray(0, 16));
  return JSON.parse(Buffer.concat([d.update(bytes.subarray(16)), d.final()]).toString("utf8"));
};

// 1. CPU per event ----------------------------------------------------------------------------
function cpuPerEvent() {
  const bodies = Array.from({ length: 2000 }, () => Buffer.from(body(event(randomUUID()))));
  const mode = { kind: "encrypted", keys: [KEY] };
  const floor = decrypt;
  const ours = (b) => {
    const opened = openDelivery(b, mode);
    if (!opened.ok) throw new Error(opened.reason);
    return mergeState(undefined, observeEvent(opened.accepted.event));
  };
  const time = (fn) => {
    const started = performance.now();
    for (const b of bodies) fn(b);
    return ((performance.now() - started) * 1e6) / bodies.length; // ns per event
  };
  for (let i = 0; i < 3; i++) {
    time(floor); // warm-up
    time(ours);
  }
  // Paired rounds: each ratio compares two runs made back to back, so drift on a shared
  // machine (the emulator's JIT warming up beside us, say) cancels out.
  const samples = { floor: [], ours: [], ratio: [] };
  for (let i = 0; i < 31; i++) {
    const f = time(floor);
    const o = time(ours);
    samples.floor.push(f);
    samples.ours.push(o);
    samples.ratio.push(o / f);
  }
  return {
    floorNsPerEvent: round(median(samples.floor), 0),
    oursNsPerEvent: round(median(samples.ours), 0),
    ratio: round(median(samples.ratio)),
    target: "≤ 2",
  };
}

// 2. Acknowledgement latency and throughput -----------------------------------------------------
const { project } = localStack();
initializeApp({ projectId: project });
const db = getFirestore();
// Every provider, as a deployment of all has them, their params (each provider's tools' bench)
// read from the environment as the runtime's are; the API is the bench's own server (section 5).
Object.assign(
  process.env,
  { VERIFICATION_PROVIDERS: TOOLS.map((tools) => tools.id).join(",") },
  ...TOOLS.map((tools) => tools.bench.env),
);
const registry = lib("providers/registry.js").chooseProviders(process.env.VERIFICATION_PROVIDERS);
const states = statesOf(registry);
const store = createVerificationStore(() => db, states, { checkAfterMinutes: () => 60 });
const logger = { info() {}, warn() {}, error() {} };
const real = createApp({
  store,
  providers: registry.chosen,
  users: { read: async () => undefined },
  verifyIdToken: async () => {
    throw new Error("unused");
  },
  corsOrigins: () => "",
  logger,
});
const baselines = express();
// (a) Passbase's Firebase sample: decrypt, write the status blindly, answer. Wrong, but the floor
// for a single write.
baselines.post("/naive/webhooks", express.raw({ type: () => true }), async (req, res) => {
  const e = decrypt(req.body);
  await db.collection("bench-naive").doc(e.key).set({ status: e.status });
  res.sendStatus(200);
});
// (b) The floor for a correct handler: one batched read of the verification and its audit
// entry in a transaction, then the commit of the two writes a new delivery needs (the audit
// entry and the state), and nothing else.
baselines.post("/floor/webhooks", express.raw({ type: () => true }), async (req, res) => {
  const e = decrypt(req.body);
  const ref = db.collection("bench-floor").doc(e.key);
  const audit = ref.collection("events").doc(`${e.event}-${e.updated}`);
  await db.runTransaction(async (tx) => {
    await tx.getAll(ref, audit);
    tx.create(audit, { event: e.event, status: e.status });
    tx.set(ref, { status: e.status, updated: e.updated }, { merge: true });
  });
  res.sendStatus(200);
});
const app = express();
app.use("/real", real);
app.use(baselines);

/**
 * The handlers measured side by side: the baselines, Passbase's route (`real`, which they are
 * baselines for), and each other provider's route with its own signed delivery (its tools' bench).
 */
const BENCHED = TOOLS.filter((tools) => tools.bench.delivery);
const HANDLERS = ["floor", "real", "naive", ...BENCHED.map((tools) => tools.id)];
/** What each handler is sent, and where. */
const delivered = Object.fromEntries(
  BENCHED.map(({ id, bench }) => [
    id,
    () => ({ ...bench.delivery(now), path: `real/webhooks/${id}` }),
  ]),
);
const delivery = (name) =>
  delivered[name]?.() ?? {
    body: body(event(randomUUID())),
    headers: { "Content-Type": "text/plain" },
    path: `${name}/webhooks`,
  };

async function latency(server, levels, perLevel) {
  const { port } = server.address();
  const results = [];
  for (const concurrency of levels) {
    const row = { concurrency };
    const runs = Object.fromEntries(HANDLERS.map((name) => [name, []]));
    const elapsed = Object.fromEntries(HANDLERS.map((name) => [name, 0]));
    // Interleaved halves, so that drift on a shared machine hits every handler alike.
    for (let half = 0; half < 2; half++) {
      for (const name of HANDLERS) {
        const payloads = Array.from({ length: perLevel / 2 }, () => delivery(name));
        const limit = pLimit(concurrency);
        const started = performance.now();
        await Promise.all(
          payloads.map((b) =>
            limit(async () => {
              const t = performance.now();
              const res = await fetch(`http://127.0.0.1:${port}/${b.path}`, {
                method: "POST",
                body: b.body,
                headers: b.headers,
              });
              await res.arrayBuffer();
              if (res.status !== 200) throw new Error(`${name}: HTTP ${res.status}`);
              runs[name].push(performance.now() - t);
            }),
          ),
        );
        elapsed[name] += performance.now() - started;
      }
    }
    for (const name of HANDLERS) {
      row[name] = {
        p50: round(median(runs[name])),
        p95: round(pct(runs[name], 0.95)),
        p99: round(pct(runs[name], 0.99)),
        perSecond: round((runs[name].length / elapsed[name]) * 1000, 1),
      };
    }
    row.realOverFloor = {
      p50: round(row.real.p50 / row.floor.p50),
      throughput: round(row.real.perSecond / row.floor.perSecond),
    };
    row.realOverNaive = {
      p50: round(row.real.p50 / row.naive.p50),
      throughput: round(row.real.perSecond / row.naive.perSecond),
    };
    for (const { id: provider } of BENCHED) {
      row[`${provider}OverPassbase`] = {
        p50: round(row[provider].p50 / row.real.p50),
        throughput: round(row[provider].perSecond / row.real.perSecond),
      };
    }
    row.samples = runs;
    results.push(row);
  }
  return results;
}

// 3. Round trips per delivery, counted at the Firestore client -------------------------------
/**
 * Counts what a Firestore client sends: RPCs by method, documents read (batchGetDocuments) and
 * written (commit). `take()` returns the counts since the last `take()`.
 */
function countRequests(firestore) {
  let counts;
  const reset = () => (counts = { rpcs: {}, reads: 0, writes: 0 });
  reset();
  const count = (method, req) => {
    counts.rpcs[method] = (counts.rpcs[method] ?? 0) + 1;
    if (method === "batchGetDocuments") counts.reads += req?.documents?.length ?? 0;
    if (method === "commit") counts.writes += req?.writes?.length ?? 0;
  };
  const request = firestore.request.bind(firestore);
  const requestStream = firestore.requestStream.bind(firestore);
  firestore.request = (method, req, ...rest) => (count(method, req), request(method, req, ...rest));
  firestore.requestStream = (method, bidi, req, ...rest) => (
    count(method, req),
    requestStream(method, bidi, req, ...rest)
  );
  return {
    take: () => {
      const taken = counts;
      reset();
      return taken;
    },
    stop: () => {
      firestore.request = request;
      firestore.requestStream = requestStream;
    },
  };
}

async function roundTrips() {
  const counter = countRequests(db);
  const measure = async (event) => {
    counter.take();
    const outcome = await store.apply("passbase", eventRecording(event));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the rollback is sent after
    return { outcome, rpcs: counter.take().rpcs };
  };
  const e = event(randomUUID());
  const result = {
    newEvent: await measure(e),
    duplicate: await measure(e),
    olderEvent: await measure({ ...e, updated: e.updated - 30 }),
  };
  counter.stop();
  return result;
}

// 5. Documents read and written per verification life ------------------------------------------
/**
 * One verification's life (the user links it, COMPLETED, REVIEWED, the details task), run in
 * process through the functions' own code on the emulators, with the trigger handler given each
 * write's before and after as Cloud Functions would. Counted at the functions' Firestore client;
 * the snapshots for the trigger come from another client, uncounted.
 */
async function documentsPerLife() {
  const { getAuth } = require("firebase-admin/auth");
  const { createLinkStore } = lib("store/links.js");
  const { createIdentityStore } = lib("store/identities.js");
  const { createUserSync, createClaimWriter, createUserExists } = lib("store/users.js");
  const { createOnVerificationWritten } = lib("triggers/on-verification-written.js");
  const { createConfirmer } = lib("background/confirm.js");
  const { createLogs } = lib("logs.js");

  const key = randomUUID();
  const api = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ id: key, status: "approved", created: now, updated: now + 60 }));
  });
  await new Promise((resolve) => api.listen(0, "127.0.0.1", resolve));
  process.env.PASSBASE_API_BASE_URL = `http://127.0.0.1:${api.address().port}/verification/v1`;
  const auth = getAuth();
  const logs = createLogs(logger);
  const queued = [];
  const queue = { enqueue: async (_task, id) => (queued.push(id), "queued") };
  const users = createUserSync(
    () => db,
    states,
    createClaimWriter(() => auth),
  );
  const links = createLinkStore(() => db, states, { checkAfterMinutes: () => 60 });
  const trigger = createOnVerificationWritten({ users, queue, logs });
  const confirmer = createConfirmer({
    events: store,
    identities: createIdentityStore(() => db),
    links,
    states,
    read: (k) => db.collection("verifications").doc(k).get(),
    userExists: createUserExists(() => auth),
    maxAttempts: 5,
    // AGE_THRESHOLDS' default; and the answer holds no document: no facts, as before them.
    ageThresholds: () => [],
    logs,
  });
  const passbase = registry.get("passbase");
  const client = await (await passbase.module()).api();
  const checked = { ...passbase, keyParams: "PASSBASE_SECRET_API_KEY" };

  const observer = getFirestore(initializeApp({ projectId: db.projectId }, "observer"));
  const doc = () => observer.collection("verifications").doc(key).get();
  const counter = countRequests(db);
  const { uid } = await auth.createUser({});
  const steps = [];
  const step = async (name, write) => {
    const before = await doc();
    counter.take();
    await write();
    const own = counter.take();
    const after = await doc();
    await trigger({ data: { before, after }, params: { key } });
    const triggered = counter.take();
    steps.push({
      step: name,
      reads: own.reads + triggered.reads,
      writes: own.writes + triggered.writes,
      triggerReads: triggered.reads,
      triggerWrites: triggered.writes,
    });
  };
  const completed = event(key);
  const reviewed = { ...event(key, "VERIFICATION_REVIEWED", "approved"), updated: now + 120 };
  await step("user links (linkVerification)", () => links.link(key, uid, "user", "passbase"));
  await step("VERIFICATION_COMPLETED", () => store.apply("passbase", eventRecording(completed)));
  await step("VERIFICATION_REVIEWED", () => store.apply("passbase", eventRecording(reviewed)));
  const eventId = (await doc()).get("eventId");
  await step("details task", async () => {
    const outcome = await confirmer.confirm(checked, client, key, eventId, 1);
    if (outcome !== "stored") throw new Error(`details: ${outcome}`);
  });
  counter.stop();
  api.close();
  const total = (field) => steps.reduce((sum, s) => sum + s[field], 0);
  return {
    steps,
    total: { reads: total("reads"), writes: total("writes") },
    tasksQueued: queued.length,
  };
}

// 4. Cold start -------------------------------------------------------------------------------
function coldStart() {
  const dir = join(functionsDir, ".emulators");
  mkdirSync(dir, { recursive: true });
  const bodyFile = join(dir, "bench-body.txt");
  writeFileSync(bodyFile, body(event(randomUUID())));
  const env = {
    ...process.env,
    GCLOUD_PROJECT: project,
    FIREBASE_CONFIG: JSON.stringify({ projectId: project }),
    VERIFICATION_PROVIDERS: "passbase",
    PASSBASE_WEBHOOK_SECRET: SECRET,
    PASSBASE_SECRET_API_KEY: "",
    PASSBASE_ALLOW_UNENCRYPTED: "false",
    CORS_ORIGINS: "",
  };
  const once = (args) => {
    const run = spawnSync(
      process.execPath,
      [join(functionsDir, "scripts", "bench", "bench-cold.cjs"), ...args],
      {
        env,
        encoding: "utf8",
      },
    );
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout.trim().split("\n").pop());
  };
  const samples = { widgets: [], hello: [] };
  for (let i = 0; i < 7; i++) {
    samples.widgets.push(
      once([join(functionsDir, "lib", "index.js"), "widgets", "POST", bodyFile]),
    );
    samples.hello.push(
      once([join(functionsDir, "scripts", "bench", "bench-hello.cjs"), "hello", "GET", "-"]),
    );
  }
  const summary = (xs) => ({
    loadMs: round(median(xs.map((x) => x.loadMs))),
    firstRequestMs: round(median(xs.map((x) => x.firstRequestMs))),
    status: xs[0].status,
  });
  const widgets = summary(samples.widgets);
  const hello = summary(samples.hello);
  return {
    widgets,
    hello,
    loadRatio: round(widgets.loadMs / hello.loadMs),
    firstRequestRatio: round(widgets.firstRequestMs / hello.firstRequestMs),
    target: "load ≤ 1.5 × hello, first request ≤ 3 × hello",
  };
}

// ---------------------------------------------------------------------------------------------
const machine = {
  date: new Date().toISOString(),
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: round(os.totalmem() / 2 ** 30, 1),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
console.log(
  `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`,
);

const cpu = cpuPerEvent();
console.log(
  `\n1. CPU per event (decrypt + parse + validate + merge) against the floor (decrypt + JSON.parse)`,
);
console.table([
  {
    floor_ns: cpu.floorNsPerEvent,
    ours_ns: cpu.oursNsPerEvent,
    ratio: cpu.ratio,
    target: cpu.target,
  },
]);

const server = createServer(app);
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const acks = await latency(server, [1, 8, 32], 400);
server.close();
console.log(
  `\n2. Acknowledgement latency (ms) and throughput (deliveries/s) on the Firestore emulator`,
);
const handlerNames = {
  floor: "(b) floor: batched read + commit",
  real: "widgets app, Passbase route",
  naive: "(a) naive blind write",
  ...Object.fromEntries(BENCHED.map(({ id, name }) => [id, `widgets app, ${name} route`])),
};
console.table(
  acks.flatMap((row) =>
    HANDLERS.map((name) => ({
      concurrency: row.concurrency,
      handler: handlerNames[name],
      ...row[name],
    })),
  ),
);
const chart = join(repoDir, "docs", "latency.svg");
writeFileSync(
  chart,
  latencySvg(
    acks,
    handlerNames,
    `Acknowledgement latency, ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Firestore emulator`,
  ),
);
console.log(`Wrote ${chart}`);
console.table(
  acks.map((row) => ({
    concurrency: row.concurrency,
    "p50 ÷ floor": row.realOverFloor.p50,
    "throughput ÷ floor": row.realOverFloor.throughput,
    "p50 ÷ naive": row.realOverNaive.p50,
    "throughput ÷ naive": row.realOverNaive.throughput,
    ...Object.fromEntries(
      BENCHED.flatMap(({ id, name }) => [
        [`${name} p50 ÷ Passbase`, row[`${id}OverPassbase`].p50],
        [`${name} thr ÷ Passbase`, row[`${id}OverPassbase`].throughput],
      ]),
    ),
  })),
);

const rpcs = await roundTrips();
console.log(`\n3. Firestore round trips per delivery, counted at the client`);
console.table(
  Object.entries(rpcs).map(([kind, r]) => ({ delivery: kind, outcome: r.outcome, ...r.rpcs })),
);

const cold = coldStart();
console.log(`\n4. Cold start: loading the module, then serving the first request (median of 7)`);
console.table([
  { module: "lib/index.js (widgets)", ...cold.widgets },
  { module: "minimal onRequest hello", ...cold.hello },
]);
console.table([
  {
    "load ÷ hello": cold.loadRatio,
    "first request ÷ hello": cold.firstRequestRatio,
    target: cold.target,
  },
]);

const life = await documentsPerLife();
console.log(`\n5. Firestore documents read and written per verification life, at the client`);
console.table([...life.steps, { step: "total", ...life.total }]);

const results = {
  machine,
  cpuPerEvent: cpu,
  acknowledgement: acks.map(({ samples: _samples, ...row }) => row),
  roundTrips: rpcs,
  documentsPerLife: life,
  coldStart: cold,
};
writeFileSync(join(functionsDir, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nWrote functions/bench-results.json`);
process.exit(0);
