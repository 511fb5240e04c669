// A stand-in for the providers' APIs on loopback, for the emulators (functions/.env.demo-passbase
// points each provider's API base URL here). `npm start` runs it so that the check queue's lookups
// answer locally; the emulator suites run it and script its answers. Each provider's routes, with
// its own authentication (a wrong key gets that provider's 401), live in its module under
// providers/; what is shared is here:
//
//   PUT  /__stand-in/identities/{id}   {"responses": [{"status", "body"?, "raw"?, "delayMs"?}]}
//                                      answered in turn to lookups of that id (any provider's),
//                                      the last repeating
//   PUT  /__stand-in/erasures/{id}     {"responses": [...]} as above, answered in turn to erasure
//                                      calls for that id (a redaction, a deletion)
//   PUT  /__stand-in/facts/{id}        {"responses": [...]} as above, answered in turn to the calls
//                                      that read its verified values, where those are a call of
//                                      their own (unprogrammed: the planted person of
//                                      scripts/dev/person.cjs, as the provider would answer)
//   GET  /__stand-in/requests/{id}     the requests received for that id, each with `at` (ms);
//                                      an erasure call's has `erase: true`
//   PUT  /__stand-in/slow              {"ms", "count"}: the next `count` API requests (any
//                                      provider's) are answered `ms` late, so that a suite can
//                                      act while a start's create is in flight
//   GET  /__pages/{provider}/{id}      the provider's page, locally (the session URL the stand-in
//                                      returns, where the provider's API returns one): the tester
//                                      picks an outcome
//   POST /__pages/{provider}/{id}      outcome=approve|decline|retry|abandon (those the provider
//                                      has): its signed webhooks go to the local widgets, in
//                                      order, and the browser goes back to VERIFICATION_RETURN_URL
//   GET  /__pages/passbase/new?state=S a new Passbase identity's page: Passbase's client SDK
//                                      makes the key, so this page does, and hands it back in
//                                      the return URL's fragment with S
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { readEmulatorDocument } from "../emulators/local-stack.mjs";
import { TOOLS } from "./tools.mjs";
import { postSteps } from "./signed-steps.mjs";

/** The outcomes a local provider page offers, in plain words. */
const OUTCOMES = {
  approve: "Approve",
  decline: "Decline",
  retry: "Decline, and let the user try again",
  abandon: "Abandon",
};

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A provider's local page: its name, the verification, and a button per outcome it has. */
const pageHtml = (tools, id, outcomes) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(tools.name)} (local)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto}button{display:block;margin:.5rem 0;padding:.5rem 1rem;font:inherit}</style></head>
<body><h1>${escape(tools.name)} (local)</h1>
<p>This page stands in for ${escape(tools.name)}'s flow on the local stack. Verification <code>${escape(id.slice(0, 8))}…</code>: pick the outcome.</p>
<form method="post">${outcomes
  .map((outcome) => `<button name="outcome" value="${outcome}">${OUTCOMES[outcome]}</button>`)
  .join("")}</form></body></html>`;

export const STAND_IN_PORT = 5180;

/**
 * Starts the stand-in. `keys` holds each provider's API key by its secret's name (the local
 * values of functions/.secret.local). Under `npm start` (`firestore`, host:port), an object that
 * was not programmed is answered as the webhooks sent to the stack left it; otherwise 404.
 */
export function startStandIn({ keys, project, firestore, port = STAND_IN_PORT, pages }) {
  const programs = new Map();
  const erasurePrograms = new Map();
  const factsPrograms = new Map();
  const leftByPages = new Map();
  const requests = new Map();
  const slow = { ms: 0, count: 0 };

  /** The next answer of a program, the last one repeating; undefined when none. */
  const next = (program) =>
    program?.length ? (program.length > 1 ? program.shift() : program[0]) : undefined;
  /** The next programmed answer to a lookup of `id`. */
  const programmed = (id) => next(programs.get(id));
  /** The programmed answer a lookup of `id` would get next, left in turn (for a second read). */
  const peekProgrammed = (id) => programs.get(id)?.[0];
  /** The next programmed answer to an erasure call for `id`. */
  const programmedErasure = (id) => next(erasurePrograms.get(id));
  /** The next programmed answer to a call for `id`'s verified values. */
  const programmedFacts = (id) => next(factsPrograms.get(id));
  /** Answers as programmed: after its `delayMs`, its `raw` text or its `body` as JSON. */
  async function reply(answer, res) {
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const text = answer.raw ?? JSON.stringify(answer.body ?? {});
    return res.writeHead(answer.status, { "Content-Type": "application/json" }).end(text);
  }
  // `at`: when the request arrived, so that a suite can tell requests in flight at once.
  const record = (id, request) =>
    requests.set(id, [...(requests.get(id) ?? []), { ...request, at: Date.now() }]);

  /**
   * Under `npm start`, a session or an inquiry is as the webhooks sent to the stack left it (the
   * verification in the Firestore emulator), so that send-webhook and the demo move it as the
   * provider would: the recorded provider status and error code, or undefined.
   */
  async function recorded(id) {
    // What a local page's outcome left, whichever stack runs (the suites have no `firestore`).
    if (leftByPages.has(id)) return leftByPages.get(id);
    if (!firestore) return undefined;
    const fields = await readEmulatorDocument(firestore, project, `verifications/${id}`);
    const status = fields?.providerStatus?.stringValue;
    return status
      ? {
          status,
          code: fields.lastErrorCode?.stringValue,
          answer: fields.reviewAnswer?.stringValue,
          rejectType: fields.reviewRejectType?.stringValue,
        }
      : undefined;
  }

  /**
   * Where a session's page is, as the provider's API returns it (Stripe's `url`, Veriff's, Onfido's
   * `link.url`): locally, this stand-in's page for that provider and id.
   */
  function pageUrl(provider, id) {
    const address = server.address();
    const at = typeof address === "object" && address ? address.port : port;
    return `http://127.0.0.1:${at}/__pages/${provider}/${encodeURIComponent(id)}`;
  }

  const routes = TOOLS.map((tools) =>
    tools.standIn({
      key: keys[tools.apiKey],
      keys,
      programmed,
      reply,
      record,
      requests,
      recorded,
      programmedErasure,
      programmedFacts,
      peekProgrammed,
      firestore,
      project,
      pageUrl,
    }),
  );

  /**
   * A provider's page (`pages`: the local widgets' URL and VERIFICATION_RETURN_URL): its
   * outcomes are scenarios of the provider's sender, signed with its local secret.
   */
  async function page(provider, id, url, req, body, res) {
    const tools = TOOLS.find((candidate) => candidate.id === provider);
    const outcomes = tools?.page?.outcomes ?? {};
    const html = (status, text) =>
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8" }).end(text);
    if (!tools || Object.keys(outcomes).length === 0) return html(404, "No such provider page.");
    // A provider whose client SDK creates the verification (Passbase): its page makes the key.
    if (id === "new" && tools.page.mint && req.method === "GET") {
      const minted = `/__pages/${provider}/${encodeURIComponent(tools.page.mint())}${url.search}`;
      return res.writeHead(303, { Location: minted }).end();
    }
    if (req.method === "GET") return html(200, pageHtml(tools, id, Object.keys(outcomes)));
    if (req.method !== "POST") return html(405, "GET or POST.");
    const outcome = outcomes[new URLSearchParams(body).get("outcome")];
    if (!outcome) return html(400, "Pick one of the outcomes.");
    const { scenario } = outcome;
    // Decided when the tester picks it: the API answers so before its first webhook lands.
    leftByPages.set(id, outcome.leaves);
    const sent = await tools.sender.send(
      { scenario, id, key: id },
      {
        webhookUrl: (route) => `${pages.widgets}${route}`,
        randomId: (prefix) => `${prefix}_${randomBytes(12).toString("hex")}`,
        sendSigned: ({ route, secretName, scenarios, event, sign }) =>
          postSteps({
            url: `${pages.widgets}${route}`,
            secret: keys[secretName],
            id,
            steps: scenarios[scenario],
            event,
            sign,
          }),
      },
    );
    if (!sent) return html(502, "The local widgets refused a webhook: see the emulators' log.");
    // Back to the app; with what the provider's client SDK would hand it, where it hands something.
    const back = tools.page.back?.(id, url.searchParams) ?? "";
    return res.writeHead(303, { Location: `${pages.returnUrl}${back}` }).end();
  }

  async function handle(req, body, res) {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const json = (status, value) =>
      res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(value));
    let match = /^\/__stand-in\/identities\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "PUT") {
      programs.set(match[1], JSON.parse(body).responses);
      return json(204, {});
    }
    match = /^\/__stand-in\/facts\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "PUT") {
      factsPrograms.set(match[1], JSON.parse(body).responses);
      return json(204, {});
    }
    match = /^\/__stand-in\/erasures\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "PUT") {
      erasurePrograms.set(match[1], JSON.parse(body).responses);
      return json(204, {});
    }
    if (url.pathname === "/__stand-in/slow" && req.method === "PUT") {
      Object.assign(slow, JSON.parse(body));
      return json(204, {});
    }
    match = /^\/__stand-in\/requests\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === "GET") return json(200, requests.get(match[1]) ?? []);
    match = /^\/__pages\/([a-z]+)\/([^/]+)$/.exec(url.pathname);
    if (match && pages) return page(match[1], decodeURIComponent(match[2]), url, req, body, res);
    if (slow.count > 0 && !url.pathname.startsWith("/__")) {
      slow.count--;
      await new Promise((resolve) => setTimeout(resolve, slow.ms));
    }
    for (const route of routes) {
      const answered = await route(req, body, url, json, res);
      if (answered !== undefined) return answered;
    }
    return json(404, { message: "Not found" });
  }

  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      void handle(req, body, res).catch((error) => {
        res.writeHead(500).end(String(error));
      });
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.unref();
      // The port it got (0: one the system chose).
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
    });
  });
}
