import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import {
  APP,
  decide,
  failOnCspViolations,
  recordLinks,
  recordStarts,
  signUp,
  start,
  type Started,
} from "./support";

failOnCspViolations();

// The client as in production: each provider's own flow, through the providers' real browser
// packages (@stripe/stripe-js, persona, @sumsub/websdk) bundled in the client. What those load
// from the providers' hosts cannot be reached offline; the browser is routed to stand-ins for
// those hosts here, which record what the flow was opened with. The outcome is then picked on the
// API stand-in's page for the verification, whose signed webhooks reach the local widgets as the
// provider's would, and the page the user stayed on shows it live.
const PUBLISHABLE_KEY = "pk_test_local";
const PASSBASE_KEY = "passbase-publishable-local";

/** Serves the client's config with the providers' own flows on, and a Stripe publishable key. */
async function providerFlows(page: Page) {
  await page.route(`${APP}config.json`, async (route) => {
    const config = (await (await route.fetch()).json()) as {
      local: Record<string, unknown>;
    };
    await route.fulfill({
      json: {
        ...config,
        stripe: { publishableKey: PUBLISHABLE_KEY },
        passbase: { publishableApiKey: PASSBASE_KEY },
        local: { ...config.local, flows: "provider" },
      },
    });
  });
}

/** The page the user never left shows the approval and the claim. */
async function approvedInPlace(page: Page) {
  await expect(page.locator("#status")).toHaveAttribute("data-state", "approved");
  await expect(page.locator("#claim")).toHaveAttribute("data-claim", "true");
  expect(page.url()).toBe(APP);
}

// Stripe.js as its facts say: `Stripe(key)` with `verifyIdentity(clientSecret)`, which opens the
// modal and resolves when it closes. This one records the call and closes at once.
const STRIPE_JS = `window.Stripe = Object.assign(function (key) {
  return {
    verifyIdentity: function (clientSecret) {
      window.stripeStandIn = { key: key, clientSecret: clientSecret };
      return Promise.resolve({ verificationSession: { id: clientSecret.split("_secret_")[0] } });
    },
  };
}, { version: "endive" });`;

test("stripe: Stripe.js's modal opens with the session's client secret, and the outcome shows in place", async ({
  page,
}) => {
  await providerFlows(page);
  const scripts: string[] = [];
  await page.route("https://js.stripe.com/**", async (route) => {
    scripts.push(route.request().url());
    await route.fulfill({ contentType: "application/javascript", body: STRIPE_JS });
  });
  await signUp(page);
  const started = await start(page, "stripe");
  await expect
    .poll(() => page.evaluate(() => (globalThis as { stripeStandIn?: unknown }).stripeStandIn))
    .toEqual({ key: PUBLISHABLE_KEY, clientSecret: started.clientSecret });
  expect(scripts).toEqual(["https://js.stripe.com/endive/stripe.js"]);
  await decide(page, "stripe", started.id, "approve");
  await approvedInPlace(page);
});

test("stripe: when Stripe.js cannot load, the client falls back to the session's url", async ({
  page,
}) => {
  await providerFlows(page);
  await page.route("https://js.stripe.com/**", (route) => route.abort());
  await signUp(page);
  const started = await start(page, "stripe");
  await page.waitForURL(started.url ?? "no url");
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await page.waitForURL(APP);
  await expect(page.locator("#status")).toHaveAttribute("data-state", "approved");
});

test("persona: the embedded flow opens on the inquiry the server created, and the outcome shows in place", async ({
  page,
}) => {
  await providerFlows(page);
  const frames: URL[] = [];
  await page.route("https://inquiry.withpersona.com/**", async (route) => {
    frames.push(new URL(route.request().url()));
    await route.fulfill({ contentType: "text/html", body: "<p>Persona (stand-in)</p>" });
  });
  await signUp(page);
  const started = await start(page, "persona");
  await expect.poll(() => frames.length).toBe(1);
  const [frame] = frames;
  expect([frame?.pathname, frame?.searchParams.get("inquiry-id")]).toEqual(["/widget", started.id]);
  await decide(page, "persona", started.id, "approve");
  await approvedInPlace(page);
});

// The Web SDK's frame, as @sumsub/websdk 2.9.0 speaks to it: the frame says `idCheck.onReady`
// with its id (its `_` parameter), the SDK answers `idCheck.init` with the access token; an
// `idCheck.onError` with code `invalid-token` makes the SDK ask the app for a fresh token, which
// it sends as `idCheck.updateAccessToken`.
const SUMSUB_FRAME = `<!doctype html><p>Sumsub (stand-in)</p><output id="token"></output>
<button id="expire">Expire the token</button><script>
const frameId = new URLSearchParams(location.search).get("_");
const sessionId = "local-session";
addEventListener("message", (event) => {
  const { method, accessToken } = event.data || {};
  if (method === "idCheck.init" || method === "idCheck.updateAccessToken")
    document.getElementById("token").textContent = accessToken;
});
document.getElementById("expire").onclick = () =>
  parent.postMessage({ method: "idCheck.onError", code: "invalid-token", frameId, sessionId }, "*");
parent.postMessage({ method: "idCheck.onReady", frameId, sessionId }, "*");
</script>`;

test("sumsub: the Web SDK opens with the access token, gets a fresh one when it expires, and the outcome shows in place", async ({
  page,
}) => {
  await providerFlows(page);
  await page.route("https://in.sumsub.com/websdk/**", (route) =>
    route.fulfill({ contentType: "text/html", body: SUMSUB_FRAME }),
  );
  await signUp(page);
  const started = await start(page, "sumsub");
  const frame = page.frameLocator("#provider-flow iframe");
  await expect(frame.locator("#token")).toHaveText(started.accessToken ?? "no token");

  // An expired token: the client starts again (the same applicant) for a fresh one.
  const answers = await recordStarts(page);
  await frame.locator("#expire").click();
  await expect.poll(() => answers.length).toBe(1);
  const fresh = answers[0] as Started;
  expect(fresh.id).toBe(started.id);
  expect(fresh.accessToken).not.toBe(started.accessToken);
  await expect(frame.locator("#token")).toHaveText(fresh.accessToken ?? "no token");

  await decide(page, "sumsub", started.id, "approve");
  await approvedInPlace(page);
});

for (const provider of ["veriff", "onfido"]) {
  test(`${provider}: the client opens the hosted page at the session's url`, async ({ page }) => {
    await providerFlows(page);
    await signUp(page);
    const started = await start(page, provider);
    await page.waitForURL(started.url ?? "no url");
    await page.getByRole("button", { name: "Approve", exact: true }).click();
    await page.waitForURL(APP);
    await expect(page.locator("#status")).toHaveAttribute("data-state", "approved");
  });
}

test("veriff: a session url that is not https is never opened: the client checks it again", async ({
  page,
}) => {
  await providerFlows(page);
  await signUp(page);
  // The server checks it where it reads it; this answer stands for one that got past it.
  await page.route("**/startVerification", async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { result: Started };
    body.result.url = "javascript:window.pwned=document.domain";
    await route.fulfill({ response, json: body });
  });
  await page.getByLabel("Provider").selectOption("veriff");
  await page.locator("#start-button").click();
  await expect(page.locator("#error")).toHaveText(
    "Could not start the verification: the page to open is not an https address",
  );
  expect(page.url()).toBe(APP);
  expect(await page.evaluate(() => (globalThis as { pwned?: unknown }).pwned)).toBeUndefined();
});

// Passbase's button frame, as @passbase/button 4.4.0 speaks to it: the frame says `iframeLoaded`,
// the SDK answers `iframeInitialize` with the app's publishable key; `iframeFinish` with the
// identity's key calls the app's onFinish.
const passbaseFrame = (key: string) => `<!doctype html><p>Passbase (stand-in)</p>
<output id="api-key"></output><button id="finish">Finish</button><script>
addEventListener("message", (event) => {
  if (event.data && event.data.type === "iframeInitialize")
    document.getElementById("api-key").textContent = event.data.data.apiKey;
});
document.getElementById("finish").onclick = () =>
  parent.postMessage({ type: "iframeFinish", data: [${JSON.stringify(key)}] }, "*");
parent.postMessage({ type: "iframeLoaded" }, "*");
</script>`;

test("passbase: its button opens with the publishable key, and the key it hands over on finishing is linked", async ({
  page,
}) => {
  await providerFlows(page);
  await signUp(page);
  // The identity the user made in Passbase's flow: its webhooks arrive before the link.
  const key = randomUUID();
  await decide(page, "passbase", key, "approve");
  await page.route("https://button.passbase.com/**", (route) =>
    route.fulfill({ contentType: "text/html", body: passbaseFrame(key) }),
  );
  const links = await recordLinks(page);
  await page.getByLabel("Provider").selectOption("passbase");
  await page.locator("#start-button").click();
  const frame = page.frameLocator("#provider-flow iframe");
  await expect(frame.locator("#api-key")).toHaveText(PASSBASE_KEY);
  await frame.locator("#finish").click();
  await approvedInPlace(page);
  expect(links).toEqual([key]);
});
