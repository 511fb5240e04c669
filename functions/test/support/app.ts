import type { Express } from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { createApp, type AppDeps, type ReceiverConfig } from "../../src/http/app";
import { recordingLogger, recordingSink } from "./recording";

/** The receiver's configuration for in-process apps: Passbase's secret, nothing else switched on. */
export const receiverConfig = (
  webhookSecret: string,
  overrides: Partial<ReceiverConfig> = {},
): (() => ReceiverConfig) => {
  const config: ReceiverConfig = {
    webhookSecret,
    allowUnencrypted: false,
    corsOrigins: "",
    stripeWebhookSecret: "",
    persona: { webhookSecret: "", toleranceSeconds: 600, completedMeans: "pending" },
    ...overrides,
  };
  return () => config;
};

/** The official package's webhook helper, as `widgets` loads it. */
export const stripeWebhooks: AppDeps["stripeWebhooks"] = () => Promise.resolve(Stripe.webhooks);

/** The app `widgets` serves, with a store and a logger that record what reaches them. */
export function recordingApp(config: () => ReceiverConfig) {
  const log = recordingLogger();
  const recorded = recordingSink();
  const app = createApp({
    store: recorded.sink,
    users: { read: () => Promise.resolve(undefined) },
    verifyIdToken: () => Promise.reject(new Error("unused")),
    logger: log.logger,
    config,
    stripeWebhooks,
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
