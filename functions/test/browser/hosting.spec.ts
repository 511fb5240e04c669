import { expect, test } from "@playwright/test";
import { APP, PAGES } from "./support";

// What Hosting serves the client with (firebase.json's headers): a Content-Security-Policy that
// the providers' flows work under (the other specs fail on any violation), and no framing.
test("Hosting serves the client with a Content-Security-Policy and refuses to be framed", async ({
  page,
}) => {
  const response = await page.request.get(APP);
  const csp = response.headers()["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toMatch(/(^|; )script-src 'self' /);
  expect(response.headers()["x-frame-options"]).toBe("DENY");

  // A page elsewhere that frames the client, and beside it a page served without the header (the
  // stand-in's, which shows in a frame): the browser shows the second and refuses the client.
  // Served on loopback (another origin than the client's), as Chromium blocks a public page's
  // frames to local addresses whatever their headers.
  const framing = `${PAGES}/__framing-test`;
  await page.route(framing, (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<iframe id="client" src="${APP}"></iframe>
        <iframe id="other" src="${PAGES}/__pages/veriff/framed"></iframe>`,
    }),
  );
  await page.goto(framing);
  await expect(page.frameLocator("#other").locator("h1")).toHaveText("Veriff (local)");
  // The client's frame holds the browser's own error page instead (loaded: goto waits for it).
  const shown = await page.frameLocator("#client").locator("body").textContent();
  expect(shown).not.toContain("Verify your identity");
});
