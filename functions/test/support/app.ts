import type { Express } from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type WebhookProvider } from "../../src/http/app";
import type { ProviderModule } from "../../src/providers/contract";
import { PROVIDERS } from "../../src/providers/registry";
import { statesOf } from "../../src/services";
import type { StateReader } from "../../src/store/verification-store";
import { KITS, type KitSettings } from "./kits";
import { recordingLogger, recordingSink } from "./recording";

/**
 * What the in-process suites configure, read on every request: each provider's settings by id
 * (any left out: its defaults, its route off) and the CORS origins.
 */
export interface ReceiverConfig {
  corsOrigins: string;
  providers: Record<string, Partial<KitSettings>>;
}

/** The receiver's configuration for in-process apps: only the providers named switched on. */
export const receiverConfig = (
  providers: Record<string, Partial<KitSettings>> = {},
  corsOrigins = "",
): (() => ReceiverConfig) => {
  const config: ReceiverConfig = { corsOrigins, providers };
  return () => config;
};

const loaded = (module: ProviderModule) => () => Promise.resolve(module);

/**
 * Every registered provider's real code, through its kit, with its settings read from `config` on
 * each call instead of the runtime's environment.
 */
export function testProviders(config: () => ReceiverConfig): WebhookProvider[] {
  return KITS.map((kit) => {
    const provider = PROVIDERS.find(({ id }) => id === kit.id);
    if (!provider) throw new Error(`no provider "${kit.id}"`);
    const settings = (): KitSettings => ({
      webhookSecret: "",
      ...kit.defaults,
      ...config().providers[kit.id],
    });
    return { ...provider, module: loaded(kit.module(settings)) };
  });
}

/** How the suites' stores read stored verifications: by the test providers, unlabelled by its owner. */
export const testStates = (providers: readonly WebhookProvider[]): StateReader =>
  statesOf({
    ofStored: (provider) =>
      providers.find(({ id }) =>
        provider === undefined
          ? PROVIDERS.find((p) => p.id === id)?.ownsUnlabelled === true
          : id === provider,
      ),
  });

/** The app `widgets` serves, with a store and a logger that record what reaches them. */
export function recordingApp(config: () => ReceiverConfig) {
  const log = recordingLogger();
  const recorded = recordingSink();
  const app = createApp({
    store: recorded.sink,
    providers: testProviders(config),
    users: { read: () => Promise.resolve(undefined) },
    verifyIdToken: () => Promise.reject(new Error("unused")),
    corsOrigins: () => config().corsOrigins,
    logger: log.logger,
  });
  return { app, log, ...recorded };
}

/**
 * Serves `app` on a loopback port for the whole suite: one server for all its requests, so that
 * each costs what is measured and nothing more. Returns the URL of a path, once the suite runs.
 */
export function serveForSuite(app: Express): (path: string) => string {
  let server: Server | undefined;
  let base = "";
  beforeAll(async () => {
    const listening = createServer(app);
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });
  return (path) => `${base}${path}`;
}
