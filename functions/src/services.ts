import { initializeApp } from "firebase-admin/app";
import type { CallableRequest } from "firebase-functions/https";
import type { Change, DocumentSnapshot, FirestoreEvent } from "firebase-functions/firestore";
import * as logger from "firebase-functions/logger";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  allowUnencrypted,
  apiBaseUrl,
  apiKey,
  corsOrigins,
  metadataUidField,
  reconcileAfterMinutes,
  reconcileLimit,
  storeOwner,
  webhookSecret,
} from "./params";

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
    const [{ getFirestore }, { getAuth }, { createLogs }, { createDetailsServices }, users] =
      await Promise.all([
        import("firebase-admin/firestore"),
        import("firebase-admin/auth"),
        import("./logs.js"),
        import("./details/services.js"),
        import("./store/users.js"),
      ]);
    const db = () => getFirestore();
    const logs = createLogs(logger);
    return {
      getAuth,
      logs,
      users: users.createUserSync(
        db,
        users.createClaimWriter(() => getAuth()),
      ),
      ...createDetailsServices({
        db,
        auth: () => getAuth(),
        logs,
        uidField: () => metadataUidField.value(),
        includeOwner: () => storeOwner.value(),
      }),
    };
  });

  /** The Passbase API client for this invocation; undefined (skip) when no API key is set. */
  const passbaseApi = once(async () => {
    const { createPassbaseApi } = await import("./passbase/api-client.js");
    return () => {
      const key = apiKey.value();
      return key ? createPassbaseApi({ baseUrl: apiBaseUrl.value(), apiKey: key }) : undefined;
    };
  });

  const widgets = once(async () => {
    const [{ createApp }, { events, users, getAuth }] = await Promise.all([
      import("./http/app.js"),
      core(),
    ]);
    return createApp({
      store: events,
      users,
      verifyIdToken: async (token) => (await getAuth().verifyIdToken(token)).uid,
      config: () => ({
        webhookSecret: webhookSecret.value(),
        allowUnencrypted: allowUnencrypted.value(),
        corsOrigins: corsOrigins.value(),
      }),
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

  const onVerificationWritten = once(async () => {
    const [{ createOnVerificationWritten }, { users, logs }] = await Promise.all([
      import("./triggers/on-verification-written.js"),
      core(),
    ]);
    return createOnVerificationWritten({ users, logs });
  });

  const fetchVerificationDetails = once(async () => {
    const [{ createFetchVerificationDetails }, { details, logs }, api] = await Promise.all([
      import("./triggers/fetch-verification-details.js"),
      core(),
      passbaseApi(),
    ]);
    return createFetchVerificationDetails({ api, details, logs });
  });

  const reconcileVerifications = once(async () => {
    const [{ createReconcileVerifications }, { reconciler, logs }, api] = await Promise.all([
      import("./triggers/reconcile-verifications.js"),
      core(),
      passbaseApi(),
    ]);
    return createReconcileVerifications({
      api,
      reconciler,
      options: () => ({
        olderThanMinutes: reconcileAfterMinutes.value(),
        limit: reconcileLimit.value(),
      }),
      logs,
    });
  });

  return {
    widgets: async (req: IncomingMessage, res: ServerResponse) => {
      (await widgets())(req, res);
    },
    linkVerification: async (request: CallableRequest<unknown>) =>
      (await linkVerification())(request),
    onVerificationWritten: async (event: VerificationEvent) =>
      (await onVerificationWritten())(event),
    fetchVerificationDetails: async (event: VerificationEvent) =>
      (await fetchVerificationDetails())(event),
    reconcileVerifications: async () => (await reconcileVerifications())(),
  };
}
