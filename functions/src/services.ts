import { initializeApp } from "firebase-admin/app";
import type { CallableRequest } from "firebase-functions/https";
import type { Request } from "firebase-functions/tasks";
import type { Change, DocumentSnapshot, FirestoreEvent } from "firebase-functions/firestore";
import * as logger from "firebase-functions/logger";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  allowUnencrypted,
  apiBaseUrl,
  apiKey,
  CHECK_MAX_ATTEMPTS,
  checkSchedule,
  corsOrigins,
  metadataUidField,
  personaApiBaseUrl,
  personaApiKey,
  personaCompletedMeans,
  personaSignatureToleranceSeconds,
  personaTemplateId,
  personaWebhookSecret,
  reconcileAfterMinutes,
  reconcileLimit,
  REGION,
  storeOwner,
  stripeApiBaseUrl,
  stripeSecretKey,
  stripeWebhookSecret,
  webhookSecret,
} from "./params";
import type { SignedProvider } from "./logs";

type VerificationEvent = FirestoreEvent<Change<DocumentSnapshot> | undefined, { key: string }>;

/** Runs `build` on the first call and shares its result; a failed build is tried again. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: Promise<T> | undefined;
  return () =>
    (built ??= build().catch((error: unknown) => {
      built = undefined;
      throw error;
    }));
}

/**
 * Builds what every exported function runs: the one place where the pieces are put together.
 *
 * Each deployed function is a service of its own that loads all of index.js, so a handler
 * imports its modules on its first call, not when the module loads: the triggers never load
 * Express, and `widgets` never loads the triggers' or the API client's code.
 */
export function createServices() {
  initializeApp();

  const core = once(async () => {
    const [
      { getFirestore },
      { getAuth },
      { getFunctions },
      { createLogs },
      { createVerificationStore, VERIFICATIONS },
      { createLinkStore },
      { createIdentityStore },
      users,
      { createChecker },
      { createConfirmer },
      { createCheckQueue },
      { createReconciler },
    ] = await Promise.all([
      import("firebase-admin/firestore"),
      import("firebase-admin/auth"),
      import("firebase-admin/functions"),
      import("./logs.js"),
      import("./store/verification-store.js"),
      import("./store/links.js"),
      import("./store/identities.js"),
      import("./store/users.js"),
      import("./background/check.js"),
      import("./background/confirm.js"),
      import("./background/queue.js"),
      import("./background/reconcile.js"),
    ]);
    const db = () => getFirestore();
    const auth = () => getAuth();
    const logs = createLogs(logger);
    const firstCheck = { checkAfterMinutes: () => reconcileAfterMinutes.value() };
    const events = createVerificationStore(db, firstCheck);
    const links = createLinkStore(db, firstCheck);
    const queue = createCheckQueue(() => getFunctions(), REGION);
    const identities = createIdentityStore(db);
    const read = (key: string) => db().collection(VERIFICATIONS).doc(key).get();
    return {
      auth,
      logs,
      events,
      links,
      queue,
      users: users.createUserSync(db, users.createClaimWriter(auth)),
      checker: createChecker({
        events,
        identities,
        links,
        read,
        uidField: () => metadataUidField.value(),
        userExists: users.createUserExists(auth),
        includeOwner: () => storeOwner.value(),
        maxAttempts: CHECK_MAX_ATTEMPTS,
        logs,
      }),
      confirmer: createConfirmer({ identities, read, maxAttempts: CHECK_MAX_ATTEMPTS, logs }),
      reconciler: createReconciler({
        db,
        queue,
        schedule: checkSchedule,
        logs,
      }),
    };
  });

  const stripePackage = once(async () => (await import("stripe")).default);
  const stripeWebhooks = once(async () => (await stripePackage()).webhooks);

  /** Stripe's API for this invocation; undefined when no STRIPE_SECRET_KEY is set. */
  const stripeApi = async () => {
    const key = stripeSecretKey.value();
    if (!key) return undefined;
    const [Stripe, { createStripeApi, clientOptions }] = await Promise.all([
      stripePackage(),
      import("./providers/stripe/api-client.js"),
    ]);
    return createStripeApi(new Stripe(key, clientOptions(stripeApiBaseUrl.value())));
  };

  /** Persona's API for this invocation; undefined when no PERSONA_API_KEY is set. */
  const personaApi = async () => {
    const key = personaApiKey.value();
    if (!key) return undefined;
    const { createPersonaApi } = await import("./providers/persona/api-client.js");
    return createPersonaApi({ baseUrl: personaApiBaseUrl.value(), apiKey: key });
  };

  /** PERSONA_COMPLETED_MEANS, refused (fail closed) when it is neither pending nor approved. */
  const completedMeans = async () => {
    const { completedMeansOf } = await import("./providers/persona/observe.js");
    const meaning = completedMeansOf(personaCompletedMeans.value());
    if (meaning === undefined)
      throw new Error("PERSONA_COMPLETED_MEANS must be pending or approved");
    return meaning;
  };

  /** The Passbase API client for this invocation; undefined (skip) when no API key is set. */
  const passbaseApi = once(async () => {
    const { createPassbaseApi } = await import("./providers/passbase/api-client.js");
    return () => {
      const key = apiKey.value();
      return key ? createPassbaseApi({ baseUrl: apiBaseUrl.value(), apiKey: key }) : undefined;
    };
  });

  const widgets = once(async () => {
    const [{ createApp }, { events, users, auth }] = await Promise.all([
      import("./http/app.js"),
      core(),
    ]);
    return createApp({
      store: events,
      users,
      verifyIdToken: async (token) => (await auth().verifyIdToken(token)).uid,
      config: () => ({
        webhookSecret: webhookSecret.value(),
        allowUnencrypted: allowUnencrypted.value(),
        corsOrigins: corsOrigins.value(),
        stripeWebhookSecret: stripeWebhookSecret.value(),
        persona: {
          webhookSecret: personaWebhookSecret.value(),
          toleranceSeconds: personaSignatureToleranceSeconds.value(),
          completedMeans: personaCompletedMeans.value(),
        },
      }),
      // Loaded on the first Stripe delivery: the package takes longer to load than all else here.
      stripeWebhooks: stripeWebhooks,
      logger,
    });
  });

  const linkVerification = once(async () => {
    const [{ createLinkVerification }, { links, logs }] = await Promise.all([
      import("./http/link-verification.js"),
      core(),
    ]);
    return createLinkVerification({ links, logs });
  });

  const startVerification = once(async () => {
    const [{ createStartVerification }, { stripeStarter, personaStarter }, { links, logs }] =
      await Promise.all([
        import("./http/start-verification.js"),
        import("./http/starters.js"),
        core(),
      ]);
    return createStartVerification({
      async starter(provider) {
        if (provider === "stripe") {
          const stripe = await stripeApi();
          return stripe && stripeStarter(stripe);
        }
        const templateId = personaTemplateId.value();
        const persona = templateId ? await personaApi() : undefined;
        return persona && personaStarter(persona, templateId);
      },
      links,
      logs,
    });
  });

  const onVerificationWritten = once(async () => {
    const [{ createOnVerificationWritten }, { users, queue, logs }] = await Promise.all([
      import("./triggers/on-verification-written.js"),
      core(),
    ]);
    return createOnVerificationWritten({ users, queue, logs });
  });

  const checkVerification = once(async () => {
    const [
      { createCheckVerification },
      { stripeConfirmable, personaConfirmable },
      { checker, confirmer, events, logs },
      api,
    ] = await Promise.all([
      import("./triggers/check-verification.js"),
      import("./background/confirmables.js"),
      core(),
      passbaseApi(),
    ]);
    const confirmable = async (provider: SignedProvider) => {
      if (provider === "stripe") {
        const stripe = await stripeApi();
        return stripe && stripeConfirmable(stripe, events);
      }
      const persona = await personaApi();
      return persona && personaConfirmable(persona, events, await completedMeans());
    };
    return createCheckVerification({ api, checker, confirmable, confirmer, logs });
  });

  const reconcileVerifications = once(async () => {
    const [{ createReconcileVerifications }, { reconciler, logs }] = await Promise.all([
      import("./triggers/reconcile-verifications.js"),
      core(),
    ]);
    return createReconcileVerifications({
      // Either provider's key: each check task skips a provider without one.
      apiConfigured: () =>
        apiKey.value() !== "" || stripeSecretKey.value() !== "" || personaApiKey.value() !== "",
      reconciler,
      options: () => ({ dueBy: Date.now(), limit: reconcileLimit.value() }),
      logs,
    });
  });

  return {
    widgets: async (req: IncomingMessage, res: ServerResponse) => {
      (await widgets())(req, res);
    },
    linkVerification: async (request: CallableRequest<unknown>) =>
      (await linkVerification())(request),
    startVerification: async (request: CallableRequest<unknown>) =>
      (await startVerification())(request),
    onVerificationWritten: async (event: VerificationEvent) =>
      (await onVerificationWritten())(event),
    checkVerification: async (request: Request<unknown>) => (await checkVerification())(request),
    reconcileVerifications: async () => (await reconcileVerifications())(),
    /** The reconciler itself, for `npm run reconcile`: the same wiring as the functions'. */
    reconciler: async () => (await core()).reconciler,
  };
}
