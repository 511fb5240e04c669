import * as onfidoPackage from "@onfido/api";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { isBrowserUrl, returnUrlOf } from "../../src/providers/browser-url";
import { createOnfidoApi, type OnfidoLibrary } from "../../src/providers/onfido/api-client";
import { createOnfidoModule } from "../../src/providers/onfido/module";
import { clientOptions, createStripeApi } from "../../src/providers/stripe/api-client";
import { createVeriffApi } from "../../src/providers/veriff/api-client";
import { createVeriffModule } from "../../src/providers/veriff/module";

// Every URL that reaches a browser, and every way back handed to a provider, is https (or http to
// this machine, locally). The providers' answers here come from a hostile API on loopback: an
// authenticated but wrong answer must not become a `javascript:` navigation in the app's origin.
const HOSTILE = ["javascript:alert(document.domain)", "http://evil.example/x", "data:text/html,x"];

describe("isBrowserUrl", () => {
  it.each([
    "https://verify.stripe.com/start/test_x",
    "https://app.example.com/back?x=1#y",
    "http://127.0.0.1:5180/__pages/veriff/1",
    "http://localhost:5000/",
    "http://[::1]:5000/",
  ])("takes %s", (url) => {
    expect(isBrowserUrl(url)).toBe(true);
  });

  it.each([
    ...HOSTILE,
    "JAVASCRIPT:alert(1)",
    " javascript:alert(1)",
    "https://",
    "https://app.example.com/\nx",
    "http://localhost.evil.example/",
    "http://127.0.0.1.evil.example/",
    "//evil.example/",
    "ftp://example.com/",
    `https://example.com/${"a".repeat(2100)}`,
    42,
    undefined,
  ])("refuses %s", (url) => {
    expect(isBrowserUrl(url)).toBe(false);
  });
});

/** A hostile API on loopback: every request gets `body` as JSON. */
async function hostileApi(body: unknown): Promise<{ base: string; close: () => void }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { base: `http://127.0.0.1:${port}`, close: () => server.close() };
}

describe("URLs the providers' APIs return, checked where they are read", () => {
  it.each(HOSTILE)("Stripe's session url %s is never handed on", async (url) => {
    const api = await hostileApi({
      id: "vs_1",
      object: "identity.verification_session",
      status: "requires_input",
      client_secret: "vs_1_secret_x",
      url,
      last_error: null,
      redaction: null,
    });
    try {
      const stripe = createStripeApi(new Stripe("sk_test_x", clientOptions(api.base)));
      const created = await stripe.createSession("uid-1", "key-1");
      expect(created).toMatchObject({ ok: true, clientSecret: "vs_1_secret_x", url: null });
    } finally {
      api.close();
    }
  });

  it.each(HOSTILE)("Onfido's run link %s is dropped", async (url) => {
    const api = await hostileApi({
      id: "00000000-0000-4000-8000-0000000000aa",
      status: "awaiting_input",
      applicant_id: "00000000-0000-4000-8000-0000000000bb",
      sdk_token: "token",
      link: { url },
    });
    try {
      const onfido = createOnfidoApi(onfidoPackage as unknown as OnfidoLibrary, {
        apiToken: "api_sandbox.x",
        region: "EU",
        baseUrl: api.base,
      });
      const run = await onfido.findWorkflowRun("00000000-0000-4000-8000-0000000000aa");
      expect(run).toMatchObject({ ok: true, value: { sdk_token: "token", link: { url: null } } });
    } finally {
      api.close();
    }
  });

  it.each(HOSTILE)("Veriff's session url %s makes the answer malformed", async (url) => {
    const api = await hostileApi({
      status: "success",
      verification: { id: "3c4d7e6f-0000-4000-8000-000000000009", url, sessionToken: "t" },
    });
    try {
      const veriff = createVeriffApi({ baseUrl: api.base, apiKey: "k", sharedSecret: "s" });
      expect(await veriff.createSession("uid-1", "")).toMatchObject({
        ok: false,
        failure: "malformed",
      });
    } finally {
      api.close();
    }
  });
});

describe("the providers' own return URLs, checked on use", () => {
  const value = (v: string) => ({ value: () => v });

  it.each(HOSTILE)("VERIFF_CALLBACK_URL %s fails closed", async (url) => {
    const module = createVeriffModule({
      apiKey: value("k"),
      sharedSecret: value("s"),
      apiBaseUrl: value("https://stationapi.veriff.com"),
      callbackUrl: value(url),
    });
    expect(await module.starter?.({ returnUrl: undefined })).toEqual({
      off: "VERIFF_CALLBACK_URL is not an https URL (http only to localhost)",
    });
  });

  it.each(HOSTILE)("ONFIDO_COMPLETED_REDIRECT_URL %s fails closed", async (url) => {
    const module = createOnfidoModule(
      {
        apiToken: value("api_sandbox.x"),
        webhookToken: value("w"),
        workflowId: value("00000000-0000-4000-8000-00000000f1d0"),
        region: value("EU"),
        apiBaseUrl: value(""),
        completedRedirectUrl: value(url),
      },
      () => Promise.resolve(onfidoPackage as unknown as never),
    );
    expect(await module.starter?.({ returnUrl: undefined })).toEqual({
      off: "ONFIDO_COMPLETED_REDIRECT_URL is not an https URL (http only to localhost)",
    });
  });

  it("takes a provider's own https return URL over the deployment's, and names the param", () => {
    expect(returnUrlOf(" https://app.example.com/done ")).toEqual({
      url: "https://app.example.com/done",
    });
    expect(returnUrlOf("javascript:x", "VERIFF_CALLBACK_URL")).toEqual({
      problem: "VERIFF_CALLBACK_URL is not an https URL (http only to localhost)",
    });
  });
});
