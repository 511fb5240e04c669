import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import {
  createLogs,
  stopwatch,
  type Logger,
  type SignedProvider,
  type SignedRejectReason,
} from "../logs";
import { deliveryMode, MAX_BODY_BYTES, openDelivery } from "../providers/passbase/delivery";
import { MAX_PERSONA_BODY_BYTES, openPersonaDelivery } from "../providers/persona/delivery";
import { completedMeansOf, type CompletedMeans } from "../providers/persona/observe";
import {
  MAX_STRIPE_BODY_BYTES,
  openStripeDelivery,
  type StripeWebhooks,
} from "../providers/stripe/delivery";
import type { UserSync } from "../store/users";
import type { ApplyOutcome, EventSink } from "../store/verification-store";
import { browserCors } from "./cors";
import { respond } from "./responses";

/** The app's configuration, read from params inside each request (never at deploy time). */
export interface ReceiverConfig {
  webhookSecret: string;
  allowUnencrypted: boolean;
  /** CORS_ORIGINS: comma-separated browser origins allowed on the browser-facing routes. */
  corsOrigins: string;
  /** STRIPE_WEBHOOK_SECRET, the endpoint's signing secret; empty: the Stripe route is off. */
  stripeWebhookSecret: string;
  persona: {
    /** PERSONA_WEBHOOK_SECRET; empty: the Persona route is off. */
    webhookSecret: string;
    /** PERSONA_SIGNATURE_TOLERANCE_SECONDS. */
    toleranceSeconds: number;
    /** PERSONA_COMPLETED_MEANS, checked here: anything but pending or approved fails closed. */
    completedMeans: string;
  };
}

/** A delivery opened by a provider's protocol: authenticated and read, or refused and why. */
type Opened<D> =
  { ok: true; delivery: D } | { ok: false; reason: SignedRejectReason; issues?: string[] };

/** What is wrong with the Persona route's configuration, if anything. */
function personaProblem(persona: ReceiverConfig["persona"]): string | undefined {
  if (completedMeansOf(persona.completedMeans) === undefined) {
    return "PERSONA_COMPLETED_MEANS must be pending or approved";
  }
  if (!Number.isInteger(persona.toleranceSeconds) || persona.toleranceSeconds < 1) {
    return "PERSONA_SIGNATURE_TOLERANCE_SECONDS must be a whole number of seconds, at least 1";
  }
  return undefined;
}

export interface AppDeps {
  store: EventSink;
  users: Pick<UserSync, "read">;
  /** Verifies a Firebase ID token and returns its uid; rejects when the token is not valid. */
  verifyIdToken: (token: string) => Promise<string>;
  config: () => ReceiverConfig;
  /** The official package's webhook helper, loaded on the first Stripe delivery. */
  stripeWebhooks: () => Promise<StripeWebhooks>;
  logger: Logger;
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
 * The Express app that `widgets` serves: `POST /webhooks` receives Passbase deliveries (server to
 * server, no CORS); `GET /verification` answers a signed-in user's status (browser-facing).
 */
export function createApp(deps: AppDeps): express.Express {
  const logs = createLogs(deps.logger);
  const app = express();
  app.disable("x-powered-by");

  const receiveWebhook = async (req: Request, res: Response) => {
    const ms = stopwatch();
    const { webhookSecret, allowUnencrypted } = deps.config();
    const mode = deliveryMode(webhookSecret, allowUnencrypted);
    if (mode.kind === "misconfigured") {
      logs.misconfigured(mode.problem);
      respond.internalError(res);
      return;
    }
    const body = rawBodyOf(req);
    // Passbase never compresses. The Cloud Functions runtime inflates a compressed body before
    // the app runs, so the header is all that is left to tell: refuse it, whatever the body is.
    if (req.get("content-encoding") !== undefined) {
      logs.rejected({ reason: "encoded", bytes: body.length, ms: ms() });
      respond.rejected(res);
      return;
    }
    const opened = openDelivery(body, mode);
    if (!opened.ok) {
      logs.rejected({ reason: opened.reason, issues: opened.issues, bytes: body.length, ms: ms() });
      respond.rejected(res);
      return;
    }
    const { event } = opened.accepted;
    if (opened.keyIndex) logs.olderKeyUsed({ key: event.key, keyIndex: opened.keyIndex });
    // Commit before answering: a 2xx tells Passbase it may forget the event.
    try {
      const outcome = await deps.store.applyEvent(opened.accepted);
      logs.accepted({
        key: event.key,
        event: event.event,
        outcome,
        ms: ms(),
        keyIndex: opened.keyIndex,
      });
      respond.accepted(res, outcome);
    } catch (error) {
      logs.notStored({ key: event.key, event: event.event, ms: ms(), error });
      respond.unavailable(res);
    }
  };

  /**
   * A route for a provider that signs its deliveries: 404 until its secret is set (logged once
   * per instance), the same 400 for every refusal, and the event committed before the answer.
   */
  function signedRoute<D>(route: {
    provider: SignedProvider;
    /** The provider's secret; empty: the route is off. */
    secret: (config: ReceiverConfig) => string;
    /** A configuration problem that fails the route closed (answered 500), if any. */
    problem?: (config: ReceiverConfig) => string | undefined;
    open: (
      body: Buffer,
      req: Request,
      secret: string,
      config: ReceiverConfig,
    ) => Promise<Opened<D>>;
    /**
     * The verification an event is about and its name, with how to store it; an event about
     * another object of the account has no `apply`, and is only acknowledged.
     */
    read: (
      delivery: D,
      config: ReceiverConfig,
    ) => { key: string; event: string; apply?: () => Promise<ApplyOutcome> };
  }) {
    const { provider } = route;
    let disabledLogged = false;
    return async (req: Request, res: Response) => {
      const ms = stopwatch();
      const config = deps.config();
      const secret = route.secret(config);
      if (!secret) {
        if (!disabledLogged) logs.signedDisabled(provider);
        disabledLogged = true;
        respond.notFound(res);
        return;
      }
      const problem = route.problem?.(config);
      if (problem) {
        logs.signedMisconfigured(provider, problem);
        respond.internalError(res);
        return;
      }
      const body = rawBodyOf(req);
      // No provider compresses; the runtime would have inflated the body already.
      if (req.get("content-encoding") !== undefined) {
        logs.signedRejected(provider, { reason: "encoded", bytes: body.length, ms: ms() });
        respond.rejected(res);
        return;
      }
      const opened = await route.open(body, req, secret, config);
      if (!opened.ok) {
        const { reason, issues } = opened;
        logs.signedRejected(provider, { reason, issues, bytes: body.length, ms: ms() });
        respond.rejected(res);
        return;
      }
      const { apply, ...subject } = route.read(opened.delivery, config);
      if (!apply) {
        // Another object of the account: acknowledged, so that the provider does not retry it.
        logs.signedAccepted(provider, { ...subject, outcome: "ignored", ms: ms() });
        respond.accepted(res, "ignored");
        return;
      }
      try {
        const outcome = await apply();
        logs.signedAccepted(provider, { ...subject, outcome, ms: ms() });
        respond.accepted(res, outcome);
      } catch (error) {
        logs.signedNotStored(provider, { ...subject, ms: ms(), error });
        respond.unavailable(res);
      }
    };
  }

  const receiveStripeWebhook = signedRoute({
    provider: "stripe",
    secret: (config) => config.stripeWebhookSecret,
    open: async (body, req, secret) =>
      openStripeDelivery(body, req.get("stripe-signature"), secret, await deps.stripeWebhooks()),
    read: (delivery) =>
      delivery.kind === "session"
        ? {
            key: delivery.session.id,
            event: delivery.type,
            apply: () => deps.store.applyStripeEvent(delivery),
          }
        : { key: delivery.eventId, event: delivery.type },
  });

  const receivePersonaWebhook = signedRoute({
    provider: "persona",
    secret: (config) => config.persona.webhookSecret,
    problem: (config) => personaProblem(config.persona),
    open: (body, req, secret, config) =>
      Promise.resolve(
        openPersonaDelivery(
          body,
          req.get("persona-signature"),
          secret,
          config.persona.toleranceSeconds,
        ),
      ),
    read: (delivery, config) =>
      delivery.kind === "inquiry"
        ? {
            key: delivery.inquiry.id,
            event: delivery.name,
            // `problem` has refused any other value before the delivery was opened.
            apply: () =>
              deps.store.applyPersonaEvent(
                delivery,
                config.persona.completedMeans as CompletedMeans,
              ),
          }
        : { key: delivery.eventId, event: delivery.name },
  });

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
    if (error.type && error.status && error.status < 500) {
      const reason = error.type === "entity.too.large" ? "too-large" : "unreadable";
      const fields = { reason, bytes: Number(req.headers["content-length"] ?? 0), ms: 0 } as const;
      // Logged as the route's provider would log it: the body never reached its handler.
      const signed = /^\/webhooks\/(stripe|persona)$/.exec(req.path)?.[1] as
        SignedProvider | undefined;
      if (signed) logs.signedRejected(signed, fields);
      else logs.rejected(fields);
      respond.rejected(res);
      return;
    }
    logs.failed(error);
    respond.internalError(res);
  };

  app
    .route("/webhooks")
    .post(...readRawBody(MAX_BODY_BYTES), (req, res, next) => {
      // Express 4 does not await handlers: hand a rejection to the error handler ourselves.
      receiveWebhook(req, res).catch(next);
    })
    .all((_req, res) => respond.methodNotAllowed(res, "POST"));

  app
    .route("/webhooks/stripe")
    .post(...readRawBody(MAX_STRIPE_BODY_BYTES), (req, res, next) => {
      receiveStripeWebhook(req, res).catch(next);
    })
    .all((_req, res) => respond.methodNotAllowed(res, "POST"));

  app
    .route("/webhooks/persona")
    .post(...readRawBody(MAX_PERSONA_BODY_BYTES), (req, res, next) => {
      receivePersonaWebhook(req, res).catch(next);
    })
    .all((_req, res) => respond.methodNotAllowed(res, "POST"));

  const cors = browserCors(() => deps.config().corsOrigins, ["GET"]);
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
