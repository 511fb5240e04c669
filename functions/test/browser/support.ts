import { expect, test, type Page } from "@playwright/test";
import { randomUUID } from "node:crypto";

// What the browser suites share: where the client and the stand-in's pages are, and the steps a
// person takes on the client.
export const APP = "http://127.0.0.1:5000/";
export const PAGES = "http://127.0.0.1:5180";
export const PASSWORD = "a-local-password";

/** What `startVerification` answered the client. */
export interface Started {
  id: string;
  url?: string | null;
  clientSecret?: string | null;
  sessionToken?: string | null;
  accessToken?: string | null;
}

/**
 * Records each answer of `startVerification` to the page, in order. The client may navigate away
 * as soon as it has one, after which the browser no longer holds the response's body: the call
 * is passed through and its answer kept on the way. Each call records anew.
 */
export async function recordStarts(page: Page) {
  const answers: Started[] = [];
  await page.unroute("**/startVerification");
  await page.route("**/startVerification", async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { result?: Started };
    if (body.result) answers.push(body.result);
    await route.fulfill({ response, json: body });
  });
  return answers;
}

/** Records each key the page asks `linkVerification` to link, in order. */
export async function recordLinks(page: Page) {
  const keys: string[] = [];
  await page.route("**/linkVerification", async (route) => {
    const sent = route.request().postDataJSON() as { data?: { key?: string } } | null;
    if (sent?.data?.key) keys.push(sent.data.key);
    await route.continue();
  });
  return keys;
}

/** Signs a new user up on the client, as a person would; resolves with their e-mail. */
export async function signUp(page: Page, email = `browser-${randomUUID()}@example.com`) {
  await page.goto(APP);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create an account" }).click();
  await expect(page.locator("#status")).toHaveAttribute("data-state", "not-started");
  return email;
}

/** Starts a verification at `provider` from the page; resolves with what the server answered. */
export async function start(page: Page, provider: string): Promise<Started> {
  const answers = await recordStarts(page);
  await page.getByLabel("Provider").selectOption(provider);
  await page.locator("#start-button").click();
  await expect.poll(() => answers.length).toBe(1);
  return answers[0] as Started;
}

/** Picks an outcome on the stand-in's page, as the provider's flow would end: its webhooks. */
export async function decide(page: Page, provider: string, id: string, outcome: string) {
  const res = await page.request.post(`${PAGES}/__pages/${provider}/${encodeURIComponent(id)}`, {
    form: { outcome },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
}

/**
 * Fails each test of the file in which the browser refused anything under the client's
 * Content-Security-Policy (Hosting's header, firebase.json): every flow must work under it.
 */
export function failOnCspViolations() {
  let violations: string[] = [];
  test.beforeEach(({ page }) => {
    violations = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  });
  test.afterEach(() => {
    expect(violations).toEqual([]);
  });
}
