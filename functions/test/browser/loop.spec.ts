import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import {
  APP,
  decide,
  failOnCspViolations,
  PAGES,
  PASSWORD,
  recordLinks,
  signUp,
  start,
} from "./support";

failOnCspViolations();

// The whole loop in a real browser (Chromium): the web client on the Hosting emulator,
// the functions and emulators behind it, and the API stand-in's page for each provider, which
// sends that provider's signed webhooks and the browser back to VERIFICATION_RETURN_URL.
// Every run saves the screens under .emulators/; UPDATE_SCREENS=1 writes docs/screens instead.
const SCREENS =
  process.env.UPDATE_SCREENS === "1"
    ? join(__dirname, "..", "..", "..", "docs", "screens")
    : join(__dirname, "..", "..", ".emulators", "screens");
mkdirSync(SCREENS, { recursive: true });

/** Saves what the user sees now, for docs/ (one picture per state). */
const screen = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage: true });

/**
 * Starts (or goes on with) a verification, and picks `outcome` on the provider's local page: the
 * session URL the stand-in returned (Stripe, Veriff, Onfido), else its page for the id.
 */
async function verify(page: Page, provider: string, outcome: string) {
  const result = await start(page, provider);
  const expected = ["stripe", "veriff", "onfido"].includes(provider)
    ? result.url
    : `${PAGES}/__pages/${provider}/${encodeURIComponent(result.id)}`;
  expect(expected).toMatch(new RegExp(`^${PAGES}/__pages/${provider}/`));
  await page.waitForURL(expected ?? "no url");
  await page.getByRole("button", { name: outcome, exact: true }).click();
  await page.waitForURL(APP);
}

const state = (page: Page) => page.locator("#status");

for (const provider of ["stripe", "persona", "veriff", "sumsub", "onfido"]) {
  test(`${provider}: sign up, start, approve on its page: the page shows approved and the claim`, async ({
    page,
  }) => {
    await signUp(page);
    await verify(page, provider, "Approve");
    await expect(state(page)).toHaveAttribute("data-state", "approved");
    await expect(page.locator("#status-title")).toHaveText("Verified");
    await expect(page.locator("#claim")).toHaveAttribute("data-claim", "true");
    await expectFacts(page, provider);
  });
}

/**
 * The approval's facts, as the page shows them and the ID token carries them: the stand-in's
 * person is over 21, with a passport valid until 2031-06-30 (Veriff gives no expiry by default).
 */
async function expectFacts(page: Page, provider: string) {
  // They come with the decision's details, from the check queue: its first task may start cold.
  await expect(page.locator("#facts li")).toHaveText(
    [
      "over 18: yes",
      "over 21: yes",
      ...(provider === "veriff" ? [] : ["document valid until 2031-06-30"]),
    ],
    { timeout: 30_000 },
  );
  await expect(page.locator("#age-claim")).toHaveAttribute("data-age-over-18", "true");
  await expect(page.locator("#age-claim")).toHaveText("Your account is marked as over 18.");
}

/** The app's own page, whatever its fragment. */
const atApp = (url: URL) => `${url.origin}${url.pathname}` === APP;

test("passbase: verify on its page, which makes the key; the key it hands back is linked: approved and the claim", async ({
  page,
}) => {
  await signUp(page);
  const links = await recordLinks(page);
  await page.getByLabel("Provider").selectOption("passbase");
  await page.locator("#start-button").click();
  await page.waitForURL(
    new RegExp(`^${PAGES}/__pages/passbase/[0-9a-f-]{36}\\?state=[0-9a-f-]{36}$`),
  );
  const key = new URL(page.url()).pathname.split("/").pop();
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await page.waitForURL(atApp);
  await expect(state(page)).toHaveAttribute("data-state", "approved");
  await expect(page.locator("#claim")).toHaveAttribute("data-claim", "true");
  await expectFacts(page, "passbase");
  expect(links).toEqual([key]);
  // The key is not left in the address bar.
  expect(page.url()).toBe(APP);
});

test("passbase: an approval whose document has expired asks the person to verify again", async ({
  page,
}) => {
  await signUp(page, "grace@example.com");
  await page.getByLabel("Provider").selectOption("passbase");
  await page.locator("#start-button").click();
  await page.waitForURL(new RegExp(`^${PAGES}/__pages/passbase/`));
  const key = new URL(page.url()).pathname.split("/").pop() ?? "";
  // Passbase's API answers that the passport it read expired yesterday.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const identity = {
    id: key,
    status: "approved",
    created: null,
    updated: null,
    resources: [
      {
        type: "PASSPORT",
        datapoints: {
          date_of_birth: "1990-02-14",
          date_of_expiry: yesterday,
          document_origin_country: "DEU",
        },
      },
    ],
  };
  const programmed = await page.request.put(`${PAGES}/__stand-in/identities/${key}`, {
    data: { responses: [{ status: 200, body: identity }] },
  });
  expect(programmed.status()).toBe(204);
  await page.getByRole("button", { name: "Approve", exact: true }).click();
  await page.waitForURL(atApp);
  await expect(state(page)).toHaveAttribute("data-state", "document-expired", { timeout: 30_000 });
  await expect(page.locator("#status-title")).toHaveText("Please verify again");
  await expect(page.locator("#status-text")).toContainText(`expired on ${yesterday}`);
  await expect(page.locator("#start-button")).toHaveText("Verify again");
  await expect(page.locator("#facts li")).toHaveText([
    "over 18: yes",
    "over 21: yes",
    `document expired on ${yesterday}`,
  ]);
  // DOCUMENT_EXPIRY=flag: the claim stays; the app decides what an expired document means.
  await expect(page.locator("#claim")).toHaveAttribute("data-claim", "true");
  await screen(page, "7-document-expired");
});

test("passbase: a return this page did not ask for links nothing", async ({ page }) => {
  await signUp(page);
  // A stranger's approved identity, in a link crafted for this user.
  const key = randomUUID();
  await decide(page, "passbase", key, "approve");
  const links = await recordLinks(page);
  await page.goto("about:blank");
  await page.goto(`${APP}#passbase-key=${key}&state=forged`);
  await expect(state(page)).toHaveAttribute("data-state", "not-started");
  // The link would have been asked for as soon as the user was known, before the status showed.
  await page.waitForTimeout(1000);
  expect(links).toEqual([]);
  expect(page.url()).toBe(APP);
  await expect(state(page)).toHaveAttribute("data-state", "not-started");
});

test("decline with retry, then approve; an abandonment after the approval changes nothing", async ({
  page,
}) => {
  // The one user the screens show (each run's Auth emulator starts empty).
  await signUp(page, "ada@example.com");
  await screen(page, "1-not-started");
  await page.getByLabel("Provider").selectOption("veriff");
  await page.locator("#start-button").click();
  await page.waitForURL(/\/__pages\//);
  await screen(page, "2-provider-page");
  await page.getByRole("button", { name: "Decline, and let the user try again" }).click();
  await page.waitForURL(APP);
  await expect(state(page)).toHaveAttribute("data-state", "declined");
  await expect(page.locator("#start-button")).toHaveText("Try again");
  await screen(page, "3-declined-try-again");

  await verify(page, "veriff", "Approve");
  await expect(state(page)).toHaveAttribute("data-state", "approved");
  await expect(page.locator("#claim")).toHaveAttribute("data-claim", "true");
  await expectFacts(page, "veriff");
  await screen(page, "4-approved");

  await verify(page, "veriff", "Abandon");
  await expect(state(page)).toHaveAttribute("data-state", "approved");
  await expect(page.locator("#claim")).toHaveAttribute("data-claim", "true");
});

test("a declined verification without a retry says so, and offers to start again", async ({
  page,
}) => {
  await signUp(page);
  await verify(page, "persona", "Decline");
  await expect(state(page)).toHaveAttribute("data-state", "declined");
  await expect(page.locator("#start-button")).toHaveText("Start again");
  await expect(page.locator("#claim")).toHaveAttribute("data-claim", "false");
  await screen(page, "5-declined");
});

test("an abandoned verification shows as expired, with a way to start again", async ({ page }) => {
  await signUp(page);
  await verify(page, "onfido", "Abandon");
  await expect(state(page)).toHaveAttribute("data-state", "expired");
  await expect(page.locator("#start-button")).toHaveText("Start again");
  await screen(page, "6-expired");
});

/** An ID token for a user of the Auth emulator, as the client SDK gets one. */
async function idToken(page: Page, email: string) {
  const res = await page.request.post(
    "http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=local",
    { data: { email, password: PASSWORD, returnSecureToken: true } },
  );
  const body = (await res.json()) as { idToken: string; localId: string };
  return { token: body.idToken, uid: body.localId };
}

test("a second user who opens the first user's record gets permission-denied", async ({ page }) => {
  const first = await idToken(page, await signUp(page));
  await page.getByRole("button", { name: "Sign out" }).click();
  // Signed out for good before the next page load: a load during signOut restores the session.
  await expect(page.locator("#signed-out")).toBeVisible();
  const second = await idToken(page, await signUp(page));
  // With the second user's ID token, as their client's Firestore asks, under the rules.
  const documents = "http://127.0.0.1:8080/v1/projects/demo-passbase/databases/(default)/documents";
  const asSecond = { Authorization: `Bearer ${second.token}` };
  const theirs = await page.request.get(`${documents}/users/${first.uid}`, { headers: asSecond });
  const body = (await theirs.json()) as { error?: { status?: string } };
  expect([theirs.status(), body.error?.status]).toEqual([403, "PERMISSION_DENIED"]);
  // Their own record is theirs to read (none yet: 404, not a refusal).
  const own = await page.request.get(`${documents}/users/${second.uid}`, { headers: asSecond });
  expect(own.status()).toBe(404);
});

test("with APP_CHECK=enforce, a start without an App Check token is refused; the client's succeeds", async ({
  page,
}) => {
  const { token } = await idToken(page, await signUp(page));
  const refused = await page.evaluate(async (bearer) => {
    const res = await fetch("http://127.0.0.1:5001/demo-passbase/us-central1/startVerification", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ data: { provider: "stripe" } }),
    });
    return { status: res.status, body: (await res.json()) as { error?: { status?: string } } };
  }, token);
  expect([refused.status, refused.body.error?.status]).toEqual([401, "UNAUTHENTICATED"]);
  // The client's own start carries the local provider's token.
  await page.getByLabel("Provider").selectOption("stripe");
  await page.locator("#start-button").click();
  await page.waitForURL(/\/__pages\/stripe\//);
});
