import type { Page } from "@playwright/test";

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
