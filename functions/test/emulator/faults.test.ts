import { Firestore, Timestamp } from "firebase-admin/firestore";
import { createServer as createTcpServer, connect, type Server, type Socket } from "node:net";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { createApp } from "../../src/http/app";
import { createVerificationStore } from "../../src/store/verification-store";
import {
  encryptedBody,
  lifecycle,
  millis,
  type StatusPayload,
} from "../../src/providers/passbase/test/kit";
import { PROJECT, connectToEmulators, eventually } from "./support";
import { receiverConfig, testProviders, testStates } from "../support/app";

const ctx = connectToEmulators();
const SECRET = "0123456789abcdef0123456789abcdef";
const DEADLINE_MS = 2000;

/** A TCP proxy in front of the Firestore emulator that can be stopped and started again. */
function firestoreProxy(target: string, fixedPort = 0) {
  const [host, port] = target.split(":");
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let listenPort = fixedPort;
  return {
    get host() {
      return `127.0.0.1:${listenPort}`;
    },
    async start() {
      server = createTcpServer((client) => {
        const upstream = connect(Number(port), host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on("close", () => sockets.delete(s));
          s.on("error", () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve) => server?.listen(listenPort, "127.0.0.1", resolve));
      listenPort = (server.address() as AddressInfo).port;
    },
    /** Firestore goes away: open connections drop, new ones are refused. */
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => {
        if (server)
          server.close(() => {
            resolve();
          });
        else resolve();
      });
    },
  };
}

/** A Firestore client on `host` rather than on FIRESTORE_EMULATOR_HOST (which would win). */
function firestoreAt(host: string): Firestore {
  const emulator = process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIRESTORE_EMULATOR_HOST;
  try {
    return new Firestore({ projectId: PROJECT, host, ssl: false });
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = emulator;
  }
}

/** The real app, in process, storing through `db`, with a short deadline for the test. */
async function serve(db: Firestore): Promise<{ url: string; server: HttpServer }> {
  const providers = testProviders(receiverConfig({ passbase: { webhookSecret: SECRET } }));
  const app = createApp({
    store: createVerificationStore(() => db, testStates(providers), {
      checkAfterMinutes: () => 60,
      deadlineMs: DEADLINE_MS,
    }),
    providers,
    users: { read: () => Promise.resolve(undefined) },
    verifyIdToken: () => Promise.reject(new Error("unused")),
    corsOrigins: () => "",
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, server };
}

const deliver = async (url: string, payload: StatusPayload) =>
  (
    await fetch(url, {
      method: "POST",
      body: encryptedBody(payload, SECRET),
      headers: { "Content-Type": "text/plain" },
    })
  ).status;

/** Every verification is whole: its state is the greatest audited event, and that is audited. */
async function expectWhole(keys: string[]) {
  for (const key of keys) {
    const doc = await ctx.db.collection("verifications").doc(key).get();
    const trail = (await doc.ref.collection("events").get()).docs;
    if (!doc.exists) {
      expect({ key, trail: trail.length }).toEqual({ key, trail: 0 });
      continue;
    }
    expect(trail.map((d) => d.id)).toContain(doc.get("eventId"));
  }
}

describe("faults: Firestore goes away", () => {
  it("answers 5xx, never 2xx, while Firestore is down, leaves nothing partial, and converges on redelivery", async () => {
    const proxy = firestoreProxy(process.env.FIRESTORE_EMULATOR_HOST ?? "");
    await proxy.start();
    const db = firestoreAt(proxy.host);
    const { url, server } = await serve(db);
    const identities = Array.from({ length: 24 }, (_, i) =>
      lifecycle(randomUUID(), i % 2 ? "approved" : "declined"),
    );
    const deliveries = identities.flatMap(({ completed, reviewed }) => [completed, reviewed]);
    const limit = pLimit(8);
    let down = false;
    const answers = await Promise.all(
      deliveries.map((payload, i) =>
        limit(async () => {
          if (i === deliveries.length / 2 && !down) {
            down = true;
            await proxy.stop(); // in the middle of the run
          }
          return { payload, status: await deliver(url, payload), afterStop: down };
        }),
      ),
    );
    expect(answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
    const failed = answers.filter((a) => a.status === 503);
    expect(failed.length).toBeGreaterThan(0);
    // Once Firestore was gone, nothing was acknowledged.
    expect(answers.filter((a) => a.afterStop && a.status === 200).length).toBeLessThanOrEqual(8);
    await expectWhole(identities.map(({ reviewed }) => reviewed.key));

    // Firestore returns; Passbase redelivers what failed, as it retries non-2xx answers. (The
    // client's gRPC channel reconnects with backoff, so the first retries may still get 503.)
    await proxy.start();
    for (const { payload } of failed) {
      const until = Date.now() + 90_000;
      let status = await deliver(url, payload);
      while (status !== 200 && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        status = await deliver(url, payload);
      }
      expect(status).toBe(200);
    }
    for (const { reviewed } of identities) {
      const doc = await ctx.db.collection("verifications").doc(reviewed.key).get();
      expect([doc.get("status"), doc.get("event")]).toEqual([reviewed.status, reviewed.event]);
      expect((doc.get("updated") as Timestamp).toMillis()).toBe(millis(reviewed.updated));
      expect((await doc.ref.collection("events").get()).size).toBe(2);
    }
    server.close();
    // Transactions abandoned at their deadline are still being retried by the SDK; now that
    // Firestore is back they finish (as duplicates). Let them, before the client goes.
    await new Promise((resolve) => setTimeout(resolve, 5000));
    await db.terminate().catch(() => undefined);
    await proxy.stop();
  }, 240_000);

  it("answers 503 within the deadline when Firestore is a dead port", async () => {
    const dead = createTcpServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => {
      dead.close(() => {
        resolve();
      });
    });
    const db = firestoreAt(`127.0.0.1:${port}`);
    const { url, server } = await serve(db);
    const { reviewed } = lifecycle();
    const started = Date.now();
    expect(await deliver(url, reviewed)).toBe(503);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 1500);
    const ref = ctx.db.collection("verifications").doc(reviewed.key);
    expect((await ref.get()).exists).toBe(false);
    server.close();

    // The SDK keeps retrying the transaction it was abandoned at the deadline. When Firestore
    // comes back on that port, it completes: late, whole, and harmless, as a redelivery would.
    const back = firestoreProxy(process.env.FIRESTORE_EMULATOR_HOST ?? "", port);
    await back.start();
    const landed = await eventually(
      async () => (await ref.get()).get("status") as unknown,
      (status) => status === reviewed.status,
      90_000,
    );
    expect(landed).toBe(reviewed.status);
    await db.terminate();
    await back.stop();
  }, 120_000);
});
