// Each provider's browser flow, opened with what `startVerification` answered. The outcome never
// comes from here: an SDK's callbacks and a redirect's query string are hints a user can forge,
// so the page learns the result from Firestore alone. The SDKs are loaded when a flow opens, so
// the first visit downloads only the app.

/** What `startVerification` answers: the verification's id and what its provider's flow needs. */
export interface Started {
  id: string;
  /** Stripe's, Veriff's and Onfido's hosted page (Onfido's Smart Capture Link). */
  url?: string | null;
  /** Stripe: for Stripe.js `verifyIdentity`. */
  clientSecret?: string | null;
  /** Persona: for an inquiry that is already pending. */
  sessionToken?: string | null;
  /** Sumsub: the Web SDK's access token. */
  accessToken?: string | null;
}

/** The client config the providers' flows read: publishable values only. */
export interface FlowConfig {
  /** Stripe's publishable key; empty: Stripe's hosted page instead of Stripe.js's modal. */
  stripe?: { publishableKey?: string };
  /** Persona's environment id (`env_…`), when the inquiry's template is not in production's. */
  persona?: { environmentId?: string };
}

export interface FlowContext {
  config: FlowConfig;
  /** Where an embedded flow (Sumsub's Web SDK) is mounted. */
  container: HTMLElement;
  /**
   * Starts again, which resumes the open verification: a fresh token for an SDK whose token
   * expired.
   */
  restart(): Promise<Started>;
  /** Leaves for a provider's page, which sends the user back to VERIFICATION_RETURN_URL. */
  go(url: string): void;
  /** Shows a flow's failure after it opened. */
  fail(message: string): void;
}

/** How a flow opened: the user left for the provider's page, or it runs inside this page. */
export type Opened = "redirected" | "embedded";

const hostedPage = (
  provider: string,
  started: Started,
  context: FlowContext,
): Opened => {
  if (!started.url) throw new Error(`${provider} gave no page to open`);
  context.go(started.url);
  return "redirected";
};

/** Stripe.js's modal; Stripe's hosted page when Stripe.js is not configured or cannot load. */
async function stripe(started: Started, context: FlowContext): Promise<Opened> {
  const key = context.config.stripe?.publishableKey?.trim();
  if (key && started.clientSecret) {
    const { loadStripe } = await import("@stripe/stripe-js");
    // loadStripe rejects when Stripe's script cannot load (a blocker, no network).
    const stripeJs = await loadStripe(key).catch(() => null);
    if (stripeJs) {
      // Resolves when the modal closes; closing it early is an error too. Either way the state
      // shown stays Firestore's.
      void stripeJs.verifyIdentity(started.clientSecret).then(({ error }) => {
        if (error)
          context.fail(`Stripe: ${error.message ?? "the window was closed"}`);
      });
      return "embedded";
    }
  }
  return hostedPage("Stripe", started, context);
}

/** Persona's embedded flow, continuing the inquiry our server created. */
async function persona(
  started: Started,
  context: FlowContext,
): Promise<Opened> {
  const { Client } = await import("persona");
  const environmentId = context.config.persona?.environmentId?.trim();
  const client = new Client({
    inquiryId: started.id,
    ...(started.sessionToken ? { sessionToken: started.sessionToken } : {}),
    ...(environmentId ? { environmentId } : {}),
    onReady: () => {
      client.open();
    },
    onError: (error) => {
      context.fail(`Persona could not open: ${error.message ?? error.code}`);
    },
  });
  return "embedded";
}

/** Sumsub's Web SDK, in the page; an expired token is replaced by starting again. */
async function sumsub(started: Started, context: FlowContext): Promise<Opened> {
  if (!started.accessToken) throw new Error("Sumsub gave no access token");
  const { default: snsWebSdk } = await import("@sumsub/websdk");
  context.container.hidden = false;
  snsWebSdk
    .init(started.accessToken, async () => {
      const again = await context.restart();
      if (!again.accessToken) throw new Error("Sumsub gave no access token");
      return again.accessToken;
    })
    .withConf({ lang: navigator.language.slice(0, 2) || "en" })
    .build()
    .launch(context.container);
  return "embedded";
}

/** Each provider's flow in production; a provider not named here has a hosted page. */
const FLOWS: Record<
  string,
  (started: Started, context: FlowContext) => Promise<Opened>
> = {
  stripe,
  persona,
  sumsub,
};

/** Opens the provider's own flow: its SDK where it has one, else its hosted page. */
export function openProviderFlow(
  provider: string,
  started: Started,
  context: FlowContext,
): Promise<Opened> {
  const flow = FLOWS[provider];
  return flow
    ? flow(started, context)
    : Promise.resolve(hostedPage(provider, started, context));
}

/**
 * Locally, the API stand-in's page for every provider: the session URL it returned where the
 * provider's API returns one (Stripe, Veriff, Onfido), else its page for the id (Persona and Sumsub
 * open in an SDK, which has no URL).
 */
export function standInPage(provider: string, started: Started, pages: string) {
  return (
    started.url ??
    `${pages}/__pages/${provider}/${encodeURIComponent(started.id)}`
  );
}
