import { initializeApp } from "firebase-admin/app";
import type { CallableRequest } from "firebase-functions/https";
import type { AuthEvent, User } from "firebase-functions/identity";
import type { Request } from "firebase-functions/tasks";
import type { Change, DocumentSnapshot, FirestoreEvent } from "firebase-functions/firestore";
import * as logger from "firebase-functions/logger";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  CHECK_FUNCTION,
  CHECK_MAX_ATTEMPTS,
  checkSchedule,
  corsOrigins,
  deployedName,
  deployedRegion,
  kitInstance,
  reconcileAfterMinutes,
  ageThresholds,
  documentExpiry,
  reconcileLimit,
  returnUrlOf,
  verificationReturnUrl,
} from "./params";
import type { Logger } from "./logs";
import type { ProviderModule } from "./providers/contract";
import type { Chosen, Registry } from "./providers/registry";
import { DEFAULT_NAMES, type StoreNames } from "./store/names";
import type { StateReader } from "./store/verification-store";

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

/** A logger whose every line carries `fields` too. */
function withFields(base: Logger, fields: object): Logger {
  return {
    info: (message, extra) => {
      base.info(message, { ...fields, ...extra });
    },
    warn: (message, extra) => {
      base.warn(message, { ...fields, ...extra });
    },
    error: (message, extra) => {
      base.error(message, { ...fields, ...extra });
    },
  };
}

/** A chosen provider as the logs name it when its API refuses the key. */
const withKeyParams = (provider: Chosen) => ({
  ...provider,
  keyParams: provider.apiSecrets.map((secret) => secret.name).join(" or "),
});

/** How stored verifications are read: by the chosen provider each belongs to. */
export function statesOf(registry: {
  ofStored(provider: unknown): { id: string; module(): Promise<ProviderModule> } | undefined;
}): StateReader {
  return {
    providerOf: (stored) => registry.ofStored(stored)?.id,
    async read(provider, fields) {
      const chosen = registry.ofStored(provider);
      return chosen && (await chosen.module()).readState(fields);
    },
  };
}

/**
 * Builds what every exported function runs, from the deployment's providers: the one place
 * where the pieces are put together.
 *
 * Each deployed function is a service of its own that loads all of index.js, so a handler
 * imports its modules on its first call, not when the module loads: the triggers never load
 * Express, `widgets` never loads the triggers' code, and a provider's code (and its SDK) loads
 * only when a function first calls that provider.
 */
export function createServices(registry: Registry, names: StoreNames = DEFAULT_NAMES) {
  initializeApp();
  // Inside a kit, every log line names its instance: two instances share the project's logs.
  const instance = kitInstance();
  const log: Logger = instance === undefined ? logger : withFields(logger, { instance });
  const states = statesOf(registry);

  const core = once(async () => {
    const [
      { getFirestore },
      { getAuth },
      { getFunctions },
      { createLogs },
      { createVerificationStore },
      { createLinkStore },
      { createIdentityStore },
      users,
      { createConfirmer },
      { createCheckQueue },
      { createReconciler },
      { createErasureStore },
      { createErasure },
      { createStartLeases },
      { createExpirySweep },
      { parseAgeThresholds, parseExpiryMode },
    ] = await Promise.all([
      import("firebase-admin/firestore"),
      import("firebase-admin/auth"),
      import("firebase-admin/functions"),
      import("./logs.js"),
      import("./store/verification-store.js"),
      import("./store/links.js"),
      import("./store/identities.js"),
      import("./store/users.js"),
      import("./background/confirm.js"),
      import("./background/queue.js"),
      import("./background/reconcile.js"),
      import("./store/erasure.js"),
      import("./background/erase.js"),
      import("./store/starts.js"),
      import("./background/expiry.js"),
      import("./verification/facts.js"),
    ]);
    const db = () => getFirestore();
    const auth = () => getAuth();
    const logs = createLogs(log);
    const firstCheck = { checkAfterMinutes: () => reconcileAfterMinutes.value(), names };
    const events = createVerificationStore(db, states, firstCheck);
    const links = createLinkStore(db, states, firstCheck);
    const queue = createCheckQueue(
      () => getFunctions(),
      deployedRegion(),
      deployedName(CHECK_FUNCTION),
    );
    // The facts' settings, read on each use; a wrong one is said, and fails closed.
    const thresholds = () => {
      const read = parseAgeThresholds(ageThresholds.value());
      if (read.ok) return read.thresholds;
      logs.factsMisconfigured({ problem: read.problem });
      return [];
    };
    const expiryRule = () => {
      const read = parseExpiryMode(documentExpiry.value());
      if (!read.ok) logs.factsMisconfigured({ problem: `${read.problem}; read as revoke` });
      return { mode: read.ok ? read.mode : ("revoke" as const), now: Date.now() };
    };
    const claims = users.createClaimWriter(auth, names.claim, thresholds);
    const userSync = users.createUserSync(db, states, claims, names, expiryRule);
    const leases = createStartLeases(db, { collection: names.starts });
    return {
      auth,
      db,
      logs,
      events,
      links,
      queue,
      users: userSync,
      // What a callable acting for a user holds: their lease, and Auth's word on their account.
      userLeases: { leases, accounts: users.createAccountCheck(auth) },
      erasure: createErasure({
        store: createErasureStore(db, states, firstCheck),
        queue,
        claims,
        providers: registry.chosen.map((chosen) => chosen.id),
        leases,
        maxAttempts: CHECK_MAX_ATTEMPTS,
        logs,
      }),
      confirmer: createConfirmer({
        events,
        identities: createIdentityStore(db, names.verifications),
        links,
        states,
        read: (key: string) => db().collection(names.verifications).doc(key).get(),
        userExists: users.createUserExists(auth),
        maxAttempts: CHECK_MAX_ATTEMPTS,
        ageThresholds: thresholds,
        logs,
      }),
      expiry: createExpirySweep({ db, users: userSync, collection: names.users, logs }),
      reconciler: createReconciler({
        db,
        queue,
        schedule: checkSchedule,
        logs,
        verifications: names.verifications,
      }),
    };
  });

  const widgets = once(async () => {
    const [{ createApp }, { events, users, auth }] = await Promise.all([
      import("./http/app.js"),
      core(),
    ]);
    return createApp({
      store: events,
      providers: registry.chosen,
      users,
      verifyIdToken: async (token) => (await auth().verifyIdToken(token)).uid,
      corsOrigins: () => corsOrigins.value(),
      logger: log,
    });
  });

  const linkVerification = once(async () => {
    const [{ createLinkVerification }, { links, logs, userLeases }] = await Promise.all([
      import("./http/link-verification.js"),
      core(),
    ]);
    const provider = registry.chosen.find((chosen) => chosen.linking === "user");
    return createLinkVerification({ ...userLeases, provider, links, logs });
  });

  const startVerification = once(async () => {
    const [{ createStartVerification }, { links, logs, userLeases }] = await Promise.all([
      import("./http/start-verification.js"),
      core(),
    ]);
    const providers = registry.chosen
      .filter((chosen) => chosen.linking === "started")
      .map(withKeyParams);
    return createStartVerification({
      providers,
      ...userLeases,
      links,
      logs,
      returnUrl: () => returnUrlOf(verificationReturnUrl.value()),
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
    const [{ createCheckVerification }, { confirmer, erasure, logs }] = await Promise.all([
      import("./triggers/check-verification.js"),
      core(),
    ]);
    return createCheckVerification({
      providerOf: (provider) => {
        const chosen = registry.ofStored(provider);
        return chosen && withKeyParams(chosen);
      },
      confirmer,
      erasure,
      logs,
    });
  });

  const onUserDeleted = once(async () => {
    const [{ createOnUserDeleted }, { erasure, logs }] = await Promise.all([
      import("./triggers/on-user-deleted.js"),
      core(),
    ]);
    return createOnUserDeleted({ erasure, logs });
  });

  const refreshVerificationFacts = once(async () => {
    const [{ createRefreshVerificationFacts }, { users, confirmer, userLeases, db }] =
      await Promise.all([import("./http/refresh-verification-facts.js"), core()]);
    return createRefreshVerificationFacts({
      ...userLeases,
      users,
      read: (key) => db().collection(names.verifications).doc(key).get(),
      states,
      providerOf: (provider) => {
        const chosen = registry.ofStored(provider);
        return chosen && withKeyParams(chosen);
      },
      confirmer,
    });
  });

  const eraseVerificationData = once(async () => {
    const [{ createEraseVerificationData }, { erasure }] = await Promise.all([
      import("./http/erase-verification-data.js"),
      core(),
    ]);
    return createEraseVerificationData({ erasure });
  });

  const reconcileVerifications = once(async () => {
    const [{ createReconcileVerifications }, { reconciler, expiry, logs }] = await Promise.all([
      import("./triggers/reconcile-verifications.js"),
      core(),
    ]);
    return createReconcileVerifications({
      // Any provider's key: each check task skips a provider without one.
      apiConfigured: () => registry.chosen.some((chosen) => chosen.apiConfigured()),
      reconciler,
      expiry,
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
    onUserDeleted: async (event: AuthEvent<User>) => (await onUserDeleted())(event),
    refreshVerificationFacts: async (request: CallableRequest<unknown>) =>
      (await refreshVerificationFacts())(request),
    eraseVerificationData: async (request: CallableRequest<unknown>) =>
      (await eraseVerificationData())(request),
    reconcileVerifications: async () => (await reconcileVerifications())(),
    /** The reconciler itself, for `npm run reconcile`: the same wiring as the functions'. */
    reconciler: async () => (await core()).reconciler,
  };
}
