import type { Express } from "express";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as onfidoPackage from "@onfido/api";
import Stripe from "stripe";
import { createApp, type WebhookProvider } from "../../src/http/app";
import type { ProviderModule } from "../../src/providers/contract";
import { createPassbaseModule } from "../../src/providers/passbase/module";
import { passbase } from "../../src/providers/passbase/provider";
import { createPersonaModule } from "../../src/providers/persona/module";
import { persona } from "../../src/providers/persona/provider";
import { createStripeModule } from "../../src/providers/stripe/module";
import { stripe } from "../../src/providers/stripe/provider";
import { createOnfidoModule } from "../../src/providers/onfido/module";
import { onfido } from "../../src/providers/onfido/provider";
import { createSumsubModule } from "../../src/providers/sumsub/module";
import { sumsub } from "../../src/providers/sumsub/provider";
import { createVeriffModule } from "../../src/providers/veriff/module";
import { veriff } from "../../src/providers/veriff/provider";
import { statesOf } from "../../src/services";
import type { StateReader } from "../../src/store/verification-store";
import { recordingLogger, recordingSink } from "./recording";

/** What the in-process suites configure: the webhook routes' params, read on every request. */
export interface ReceiverConfig {
  webhookSecret: string;
  allowUnencrypted: boolean;
  corsOrigins: string;
  stripeWebhookSecret: string;
  persona: { webhookSecret: string; toleranceSeconds: number; completedMeans: string };
  veriffSharedSecret: string;
  sumsub: { webhookSecret: string; allowSha1: boolean };
  onfidoWebhookToken: string;
}

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
    veriffSharedSecret: "",
    sumsub: { webhookSecret: "", allowSha1: false },
    onfidoWebhookToken: "",
    ...overrides,
  };
  return () => config;
};

const onfidoLibrary = onfidoPackage as unknown as Awaited<
  ReturnType<NonNullable<Parameters<typeof createOnfidoModule>[1]>>
>;
const valueOf = <T>(read: () => T) => ({ value: read });
const loaded = (module: ProviderModule) => () => Promise.resolve(module);

/**
 * The three providers' real code, with their params read from `config` on each call instead of
 * the runtime's environment (the API params are unused in process).
 */
export function testProviders(config: () => ReceiverConfig): WebhookProvider[] {
  const none = valueOf(() => "");
  return [
    {
      ...passbase,
      module: loaded(
        createPassbaseModule({
          webhookSecret: valueOf(() => config().webhookSecret),
          allowUnencrypted: valueOf(() => config().allowUnencrypted),
          apiKey: none,
          apiBaseUrl: none,
          storeOwner: valueOf(() => false),
          metadataUidField: valueOf(() => "uid"),
        }),
      ),
    },
    {
      ...stripe,
      module: loaded(
        createStripeModule(
          {
            webhookSecret: valueOf(() => config().stripeWebhookSecret),
            secretKey: none,
            apiBaseUrl: none,
          },
          // Jest runs CommonJS without dynamic import(): the package, as `widgets` loads it.
          () => Promise.resolve(Stripe),
        ),
      ),
    },
    {
      ...persona,
      module: loaded(
        createPersonaModule({
          webhookSecret: valueOf(() => config().persona.webhookSecret),
          apiKey: none,
          templateId: none,
          completedMeans: valueOf(() => config().persona.completedMeans),
          toleranceSeconds: valueOf(() => config().persona.toleranceSeconds),
          apiBaseUrl: none,
        }),
      ),
    },
    {
      ...veriff,
      module: loaded(
        createVeriffModule({
          apiKey: none,
          sharedSecret: valueOf(() => config().veriffSharedSecret),
          apiBaseUrl: none,
          callbackUrl: none,
        }),
      ),
    },
    {
      ...sumsub,
      module: loaded(
        createSumsubModule({
          appToken: none,
          secretKey: none,
          webhookSecret: valueOf(() => config().sumsub.webhookSecret),
          levelName: none,
          apiBaseUrl: none,
          allowSha1: valueOf(() => config().sumsub.allowSha1),
        }),
      ),
    },
    {
      ...onfido,
      module: loaded(
        createOnfidoModule(
          {
            apiToken: none,
            webhookToken: valueOf(() => config().onfidoWebhookToken),
            workflowId: none,
            region: valueOf(() => "EU"),
            apiBaseUrl: none,
            completedRedirectUrl: none,
          },
          // Jest runs CommonJS without dynamic import(): the library's CommonJS build, as deployed.
          () => Promise.resolve(onfidoLibrary),
        ),
      ),
    },
  ];
}

/** How the suites' stores read stored verifications: by the test providers, Passbase's unlabelled. */
export const testStates = (providers: readonly WebhookProvider[]): StateReader =>
  statesOf({
    ofStored: (provider) => providers.find(({ id }) => id === (provider ?? "passbase")),
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
