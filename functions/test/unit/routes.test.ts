import request from "supertest";
import { PROVIDERS } from "../../src/providers/registry";
import { createApp } from "../../src/http/app";
import { mergeState } from "../../src/verification/observation";
import { receiverConfig, recordingApp, testProviders } from "../support/app";
import { recordingLogger, recordingSink } from "../support/recording";
import { KITS, type Kit } from "../support/kits";

// What every provider's route must do alike, run once per provider of the registry.
const REJECTED = { error: "invalid webhook" };
const OTHER = "another-secret-0123456789abcdefx";

function setup(kit: Kit, store?: () => Promise<never>) {
  const recorded = recordingApp(receiverConfig(kit.configured(kit.secret)));
  if (store) recorded.sink.apply = store;
  const stored = () => recorded.all;
  const post = ({
    path,
    body,
    headers,
  }: {
    path: string;
    body: string | Buffer;
    headers: Record<string, string>;
  }) => request(recorded.app).post(path).set(headers).send(body);
  return { ...recorded, stored, post };
}

test("every registered provider has its kit here, so that none skips these suites", () => {
  expect(KITS.map((kit) => kit.id)).toEqual(PROVIDERS.map((provider) => provider.id));
  expect(KITS.map((kit) => kit.path)).toEqual(PROVIDERS.map((provider) => provider.route.path));
});

describe.each(KITS)("the $id route, as every route", (kit) => {
  it("stores a genuine delivery under its provider and answers applied", async () => {
    const { post, stored, log } = setup(kit);
    const id = kit.newId();
    const res = await post(kit.deliver(id, kit.secret));
    expect([res.status, res.body]).toEqual([200, { received: true, outcome: "applied" }]);
    expect(stored().map((recording) => recording.id)).toEqual([id]);
    expect(log.lines).toMatchObject([{ level: "info", message: `${kit.label} accepted` }]);
  });

  it("refuses a delivery under another secret with the one answer, storing nothing", async () => {
    const { post, stored, log } = setup(kit);
    const res = await post(kit.deliver(kit.newId(), OTHER));
    expect([res.status, res.body]).toEqual([400, REJECTED]);
    expect(stored()).toEqual([]);
    expect(log.lines).toMatchObject([{ level: "warn", message: `${kit.label} rejected` }]);
  });

  it.each([".", "..", "__id__", "a/b"])(
    "refuses a signed delivery naming %s, an id Firestore cannot hold, storing nothing",
    async (bad) => {
      const { post, stored } = setup(kit);
      const res = await post(kit.deliver(bad, kit.secret));
      expect([res.status, res.body]).toEqual([400, REJECTED]);
      expect(stored()).toEqual([]);
    },
  );

  it("refuses a compressed body, whatever it holds", async () => {
    const { post, stored } = setup(kit);
    const sent = kit.deliver(kit.newId(), kit.secret);
    const res = await post({ ...sent, headers: { ...sent.headers, "Content-Encoding": "gzip" } });
    expect([res.status, res.body]).toEqual([400, REJECTED]);
    expect(stored()).toEqual([]);
  });

  it.each([
    ["on its own path", (path: string) => path],
    ["with a trailing slash", (path: string) => `${path}/`],
    ["in capitals", (path: string) => path.toUpperCase()],
  ])(
    "refuses a body over its limit before its handler, logged as its own rejection, %s",
    async (_name, spelling) => {
      const { post, stored, log } = setup(kit);
      const provider = PROVIDERS.find((p) => p.id === kit.id);
      const huge = Buffer.alloc((provider?.route.maxBytes ?? 0) + 1, "a");
      const res = await post({
        path: spelling(kit.path),
        body: huge,
        headers: { "Content-Type": "text/plain" },
      });
      expect([res.status, res.body]).toEqual([400, REJECTED]);
      expect(stored()).toEqual([]);
      // Express serves the route under any case and a trailing slash: the log names its provider.
      expect(log.lines).toMatchObject([
        { level: "warn", message: `${kit.label} rejected`, fields: { reason: "too-large" } },
      ]);
    },
  );

  it("refuses a genuine delivery dated over an hour ahead, whichever the provider, and takes one within it", async () => {
    const { post, stored, log } = setup(kit);
    const stage = PROVIDERS.find((p) => p.id === kit.id)?.lifecycle.at(-1)?.[0] ?? "";
    const nowSeconds = Math.floor(Date.now() / 1000);
    for (const ahead of [3601 + 60, 100 * 365 * 24 * 3600]) {
      const res = await post(kit.stage(kit.newId(), kit.secret, stage, nowSeconds + ahead));
      expect([res.status, res.body]).toEqual([400, REJECTED]);
    }
    expect(stored()).toEqual([]);
    expect(log.lines).toMatchObject([
      { level: "warn", message: `${kit.label} rejected`, fields: { reason: "future-timestamp" } },
      { level: "warn", message: `${kit.label} rejected`, fields: { reason: "future-timestamp" } },
    ]);
    const res = await post(kit.stage(kit.newId(), kit.secret, stage, nowSeconds + 3540));
    expect(res.status).toBe(200);
    expect(stored()).toHaveLength(1);
  });

  it("answers 503 when the store fails, so that the provider retries", async () => {
    const { post, log } = setup(kit, () => Promise.reject(new Error("14 UNAVAILABLE")));
    const res = await post(kit.deliver(kit.newId(), kit.secret));
    expect([res.status, res.body]).toEqual([503, { error: "temporarily unavailable" }]);
    expect(log.lines).toMatchObject([
      { level: "error", fields: { outcome: "storage-error", error: "14 UNAVAILABLE" } },
    ]);
  });

  it("acknowledges, and stores nothing for, a verification stored for another provider", async () => {
    const { post, sink } = setup(kit);
    sink.apply = () => Promise.resolve("foreign");
    const res = await post(kit.deliver(kit.newId(), kit.secret));
    expect([res.status, res.body]).toEqual([200, { received: true, outcome: "ignored" }]);
  });

  it.each(["get", "put", "delete"] as const)("refuses %s with 405", async (method) => {
    const { app } = setup(kit);
    const res = await request(app)[method](kit.path);
    expect([res.status, res.headers.allow]).toEqual([405, "POST"]);
  });
});

test("a provider the deployment did not choose has no route: a plain 404", async () => {
  const log = recordingLogger();
  const [stripe] = testProviders(receiverConfig({ stripe: { webhookSecret: "whsec_x" } })).filter(
    (provider) => provider.id === "stripe",
  );
  if (!stripe) throw new Error("no stripe");
  const app = createApp({
    store: recordingSink().sink,
    providers: [stripe],
    users: { read: () => Promise.resolve(undefined) },
    verifyIdToken: () => Promise.reject(new Error("unused")),
    corsOrigins: () => "",
    logger: log.logger,
  });
  for (const kit of KITS.filter((k) => k.id !== "stripe")) {
    const { path, body, headers } = kit.deliver(kit.newId(), kit.secret);
    const res = await request(app).post(path).set(headers).send(body);
    expect([kit.id, res.status, res.body]).toEqual([kit.id, 404, { error: "not found" }]);
  }
  expect(log.lines).toEqual([]);
});

describe.each(KITS)("the $id lifecycle, as every provider declares it", (kit) => {
  const provider = PROVIDERS.find((p) => p.id === kit.id);
  const lifecycle = provider?.lifecycle ?? [];
  const pairs = lifecycle.flatMap((earlier, i) =>
    lifecycle.slice(i + 1).flatMap((later) => earlier.flatMap((a) => later.map((b) => [a, b]))),
  );

  it("has stages, each group able to follow the ones before it", () => {
    expect(lifecycle.length).toBeGreaterThanOrEqual(2);
    expect(pairs.length).toBeGreaterThan(0);
  });

  it.each(pairs)(
    "lets %s lose to %s, delivered at the same second, in either order",
    async (earlier, later) => {
      const { post, stored } = setup(kit);
      const id = kit.newId();
      const at = Math.floor(Date.now() / 1000) - 60;
      for (const stage of [earlier, later]) {
        const res = await post(kit.stage(id, kit.secret, stage, at));
        expect(res.status).toBe(200);
      }
      const [first, second] = stored().map((recording) => recording.state?.observation);
      if (!first || !second) throw new Error("each stage must be an observation");
      expect(mergeState(mergeState(undefined, first), second)).toBe(second);
      expect(mergeState(mergeState(undefined, second), first)).toBe(second);
    },
  );
});
