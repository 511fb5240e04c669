import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import { createLogs, stopwatch, type Logger } from "../logs";
import { aheadOfEveryClock, type Provider, type ProviderModule } from "../providers/contract";
import type { UserSync } from "../store/users";
import type { EventSink } from "../store/verification-store";
import { browserCors } from "./cors";
import { respond } from "./responses";
import { isDocumentId } from "../verification/document-id";

/** A provider whose webhook route the app serves, and its code, loaded on the first delivery. */
export type WebhookProvider = Pick<Provider, "id" | "name" | "route" | "logLabel"> & {
  module(): Promise<ProviderModule>;
};

export interface AppDeps {
  store: EventSink;
  /** The deployment's providers: each has its route, and only they have one. */
  providers: readonly WebhookProvider[];
  users: Pick<UserSync, "read">;
  /** Verifies a Firebase ID token and returns its uid; rejects when the token is not valid. */
  verifyIdToken: (token: string) => Promise<string>;
  /** CORS_ORIGINS, read on each request: comma-separated browser origins allowed to read status. */
  corsOrigins: () => string;
  logger: Logger;
  now?: () => number;
}

// Cloud Functions has already read the body into req.rawBody; outside it (tests, other hosts)
// read it here. body-parser skips requests that were already read. No inflation: the limit
// must bound the bytes we handle, not the bytes on the wire.
const readRawBody = (limit: number): RequestHandler[] => [
  express.raw({ type: () => true, limit, inflate: false }),
  (req, _res, next) => {
    if (!Buffer.isBuffer(req.rawBody))
      req.rawBody = Buffer.isBuffer(req.body) ? req.body : undefined;
    next();
  },
];

const rawBodyOf = (req: Request) => req.rawBody ?? Buffer.alloc(0);

const noStore: RequestHandler = (_req, res, next) => {
  res.set("Cache-Control", "private, no-store");
  next();
};

/**
 * The Express app that `widgets` serves: each provider's webhook route (server to server, no
 * CORS), and `GET /verification`, a signed-in user's status (browser-facing).
 */
export function createApp(deps: AppDeps): express.Express {
  const logs = createLogs(deps.logger);
  const now = deps.now ?? Date.now;
  const app = express();
  app.disable("x-powered-by");

  /**
   * A provider's route: 404 until its secret is set (logged once per instance), 500 while its
   * configuration is wrong, the same 400 for every refusal, and the event committed before the
   * answer, since a 2xx tells the provider it may forget the event.
   */
  function webhookRoute(provider: WebhookProvider) {
    const { logLabel: label } = provider;
    let offLogged = false;
    return async (req: Request, res: Response) => {
      const ms = stopwatch();
      const module = await provider.module();
      const state = module.webhook.state();
      if (state.kind === "off") {
        if (!offLogged) logs.webhookOff(provider.route.path, state.hint);
        offLogged = true;
        respond.notFound(res);
        return;
      }
      if (state.kind === "misconfigured") {
        logs.webhookMisconfigured(provider.route.path, state.problem);
        respond.internalError(res);
        return;
      }
      const body = rawBodyOf(req);
      // No provider compresses. The Cloud Functions runtime inflates a compressed body before the
      // app runs, so the header is all that is left to tell: refuse it, whatever the body is.
      if (req.get("content-encoding") !== undefined) {
        logs.webhookRejected(label, { reason: "encoded", bytes: body.length, ms: ms() });
        respond.rejected(res);
        return;
      }
      const received = await module.webhook.open(body, (name) => req.get(name));
      if (!received.ok) {
        const { reason, issues } = received;
        logs.webhookRejected(label, { reason, issues, bytes: body.length, ms: ms() });
        respond.rejected(res);
        return;
      }
      // One rule for every provider: a time further ahead than any clock runs is refused.
      if (aheadOfEveryClock(received.at, now())) {
        logs.webhookRejected(label, { reason: "future-timestamp", bytes: body.length, ms: ms() });
        respond.rejected(res);
        return;
      }
      const { recording, secretIndex, key, event } = received;
      // One rule for every provider: ids Firestore cannot hold are refused, not retried for ever.
      if (recording && !(isDocumentId(recording.id) && isDocumentId(recording.auditId))) {
        logs.webhookRejected(label, { reason: "bad-id", bytes: body.length, ms: ms() });
        respond.rejected(res);
        return;
      }
      if (secretIndex) logs.olderSecretUsed({ key, secret: secretIndex, label });
      if (!recording) {
        // Another object of the account, or a type this version does not act on: acknowledged,
        // so that the provider does not retry it, and nothing is stored.
        logs.webhookAccepted(label, { key, event, outcome: "ignored", ms: ms() });
        respond.accepted(res, "ignored");
        return;
      }
      try {
        const outcome = await deps.store.apply(provider.id, recording);
        logs.webhookAccepted(label, {
          key,
          event,
          outcome,
          ms: ms(),
          ...(secretIndex === undefined ? {} : { keyIndex: secretIndex }),
        });
        respond.accepted(res, outcome === "foreign" ? "ignored" : outcome);
      } catch (error) {
        logs.webhookNotStored(label, provider.name, { key, event, ms: ms(), error });
        respond.unavailable(res);
      }
    };
  }

  const readStatus = async (req: Request, res: Response) => {
    const ms = stopwatch();
    const token = /^Bearer +(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
    const uid = token ? await deps.verifyIdToken(token).catch(() => undefined) : undefined;
    if (!uid) {
      logs.statusRead({ outcome: "unauthenticated", ms: ms() });
      respond.unauthenticated(res);
      return;
    }
    const record = await deps.users.read(uid);
    logs.statusRead({ outcome: "ok", ms: ms() });
    respond.verification(res, {
      verification: record
        ? {
            key: record.key,
            status: record.status,
            reviewedAt:
              record.reviewedAt === null ? null : new Date(record.reviewedAt * 1000).toISOString(),
          }
        : null,
    });
  };

  // A body that body-parser refuses (too large, compressed) is a bad delivery like any other;
  // anything else is our failure, answered 500 without details.
  const onError: ErrorRequestHandler = (
    error: { type?: string; status?: number },
    req,
    res,
    next,
  ) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    // The route that serves the request, whatever its spelling (Express matches `/Webhooks/x/`).
    const provider = res.locals.webhookProvider as WebhookProvider | undefined;
    if (provider && error.type && error.status && error.status < 500) {
      const reason = error.type === "entity.too.large" ? "too-large" : "unreadable";
      const bytes = Number(req.headers["content-length"] ?? 0);
      // Logged as the route's provider would log it: the body never reached its handler.
      logs.webhookRejected(provider.logLabel, { reason, bytes, ms: 0 });
      respond.rejected(res);
      return;
    }
    logs.failed(error);
    respond.internalError(res);
  };

  for (const provider of deps.providers) {
    const receive = webhookRoute(provider);
    app
      .route(provider.route.path)
      .post(
        (_req, res, next) => {
          res.locals.webhookProvider = provider;
          next();
        },
        ...readRawBody(provider.route.maxBytes),
        (req, res, next) => {
          // Express 4 does not await handlers: hand a rejection to the error handler ourselves.
          receive(req, res).catch(next);
        },
      )
      .all((_req, res) => respond.methodNotAllowed(res, "POST"));
  }

  const cors = browserCors(deps.corsOrigins, ["GET"]);
  app
    .route("/verification")
    // Every answer of this route, errors included, concerns one signed-in user: never cached.
    .all(noStore)
    .options(cors)
    .get(cors, (req, res, next) => {
      readStatus(req, res).catch(next);
    })
    .all((_req, res) => respond.methodNotAllowed(res, "GET"));
  app.use(onError);
  app.use((_req, res) => respond.notFound(res));
  return app;
}
