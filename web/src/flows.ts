// Each provider's browser flow, opened with what `startVerification` answered (Passbase's SDK
// starts its own). The outcome never comes from here: an SDK's callbacks and a redirect's query
// string are hints a user can forge, so the page learns the result from Firestore alone. The SDKs
// are loaded when a flow opens, so the first visit downloads only the app.

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
  /** Passbase's publishable API key, for its client SDK's button. */
  passbase?: { publishableApiKey?: string };
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

const hostedPage = (
  provider: string,
  started: Started,
  context: FlowContext,
) => {
  if (!started.url) throw new Error(`${provider} gave no page to open`);
  context.go(started.url);
};

/** Stripe.js's modal; Stripe's hosted page when Stripe.js is not configured or cannot load. */
async function stripe(started: Started, context: FlowContext): Promise<void> {
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
      return;
    }
  }
  hostedPage("Stripe", started, context);
}

/** Persona's embedded flow, continuing the inquiry our server created. */
async function persona(started: Started, context: FlowContext): Promise<void> {
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
}

/** Sumsub's Web SDK, in the page; an expired token is replaced by starting again. */
async function sumsub(started: Started, context: FlowContext): Promise<void> {
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
}

/** Each provider's flow in production; a provider not named here has a hosted page. */
const FLOWS: Record<
  string,
  (started: Started, context: FlowContext) => Promise<void>
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
): Promise<void> {
  const flow = FLOWS[provider];
  if (flow) return flow(started, context);
  hostedPage(provider, started, context);
  return Promise.resolve();
}

/**
 * Passbase: its client SDK creates the verification, not `startVerification`, and hands the app
 * its key when the user finishes; the app links that key to the signed-in user.
 */
export const linkedByUser = (provider: string) => provider === "passbase";

/** Passbase's button (its client SDK), in the page; its key is linked when the user finishes. */
export async function openPassbase(
  context: Pick<FlowContext, "config" | "container" | "fail"> & {
    link(key: string): Promise<void>;
  },
) {
  const apiKey = context.config.passbase?.publishableApiKey?.trim();
  if (!apiKey)
    throw new Error("Passbase has no publishable API key in config.json");
  const loaded = (await import("@passbase/button")).default;
  // CommonJS whose exports hold an ES `default`: esbuild's `default` is the exports object.
  const { renderButton } =
    "renderButton" in loaded
      ? loaded
      : (loaded as unknown as { default: typeof loaded }).default;
  context.container.hidden = false;
  renderButton(context.container, apiKey, {
    onFinish: (key) => {
      context.link(key).catch((error: unknown) => {
        context.fail(
          `Could not link the verification: ${(error as Error).message}`,
        );
      });
    },
    onError: (code) => {
      context.fail(`Passbase: ${code}`);
    },
  });
}

const PASSBASE_STATE = "passbase-state";

/**
 * Locally, the stand-in's page for a new Passbase identity. It hands the key back in the return
 * URL's fragment with the `state` kept here, so that only a return this page asked for is linked
 * (a link crafted by someone else carries no matching state).
 */
export function passbaseStandInPage(pages: string) {
  const state = crypto.randomUUID();
  sessionStorage.setItem(PASSBASE_STATE, state);
  return `${pages}/__pages/passbase/new?state=${state}`;
}

/** The Passbase key the stand-in's page handed back, if this page asked for it; read once. */
export function passbaseReturned(): string | undefined {
  const returned = new URLSearchParams(location.hash.slice(1));
  const key = returned.get("passbase-key");
  if (!key) return undefined;
  const expected = sessionStorage.getItem(PASSBASE_STATE);
  sessionStorage.removeItem(PASSBASE_STATE);
  history.replaceState(null, "", location.pathname + location.search);
  return expected && returned.get("state") === expected ? key : undefined;
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
