import Stripe from "stripe";
import { clientOptions, createStripeApi } from "../api-client";
import { standInForSuite } from "../../../../test/support/stand-in-process";

/**
 * Stripe's API client against the project's own stand-in for a whole suite, through the official
 * client: `api(key)` (the suite's key by default), and `session()`, a new session's id.
 */
export function stripeAgainstStandIn(key: string) {
  const standIn = standInForSuite({ STRIPE_SECRET_KEY: key });
  const api = (as = key) => createStripeApi(new Stripe(as, clientOptions(standIn.base())));
  const session = async () => {
    const created = await api().createSession("firebase-uid-1", `suite-${Math.random()}`);
    if (!created.ok) throw new Error(created.message);
    return created.session.id;
  };
  return { standIn, api, session };
}
