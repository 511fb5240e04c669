import { performance } from "node:perf_hooks";
import Stripe from "stripe";
import { MAX_SIGNATURE_CHECKS } from "../../src/providers/contract";
import { persona } from "../../src/providers/persona/provider";
import { signatureHeader } from "../../src/providers/persona/signature";
import { stripe } from "../../src/providers/stripe/provider";
import { receiverConfig, recordingApp, serveForSuite } from "../support/app";

// What an unauthenticated request costs a signed route: a header with many signatures must cost
// about what one signature costs, whatever the body. Each route gets its largest body, and a
// header just under Node's 16 KB limit; the two are timed interleaved, in one run.
const PERSONA_SECRET = "wbhsec_cost_secret";
const STRIPE_SECRET = "whsec_cost_secret";
const { app, log, of } = recordingApp(
  receiverConfig({
    stripe: { webhookSecret: STRIPE_SECRET },
    persona: { webhookSecret: PERSONA_SECRET },
  }),
);
const [personaStored, stripeStored] = [of("persona"), of("stripe")];
const url = serveForSuite(app);
const now = () => Math.floor(Date.now() / 1000);

const routes = [
  {
    name: "Persona",
    path: persona.route.path,
    body: Buffer.alloc(persona.route.maxBytes, "a"),
    header: "Persona-Signature",
    // Each set its own t: each would be its own HMAC of the whole body.
    signatures: (count: number) =>
      Array.from({ length: count }, (_, i) =>
        signatureHeader("forged", [`wbhsec_other_${i}`], now() - i),
      ).join(" "),
  },
  {
    name: "Stripe",
    path: stripe.route.path,
    body: Buffer.alloc(stripe.route.maxBytes, "a"),
    header: "Stripe-Signature",
    signatures: (count: number) =>
      Stripe.webhooks
        .generateTestHeaderString({ payload: "forged", secret: "whsec_other" })
        .replace(
          /v1=[0-9a-f]+/,
          Array.from({ length: count }, () => `v1=${"ab".repeat(32)}`).join(","),
        ),
  },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

describe.each(routes)("the $name route's cost per unauthenticated request", (route) => {
  it("is about one signature's, however many the header names", async () => {
    const one = route.signatures(1);
    let many = route.signatures(2);
    for (let count = 3; route.signatures(count).length < 15_000; count++) {
      many = route.signatures(count);
    }
    const count =
      many.split(route.name === "Persona" ? " " : "v1=").length -
      (route.name === "Persona" ? 0 : 1);
    expect(count).toBeGreaterThan(10 * MAX_SIGNATURE_CHECKS);
    const post = async (header: string) => {
      const started = performance.now();
      const res = await fetch(url(route.path), {
        method: "POST",
        body: route.body,
        headers: { "Content-Type": "application/json", [route.header]: header },
      });
      expect([res.status, await res.text()]).toEqual([400, '{"error":"invalid webhook"}']);
      return performance.now() - started;
    };
    const times: Record<"one" | "many", number[]> = { one: [], many: [] };
    for (let i = 0; i < 60; i++) {
      times.one.push(await post(one));
      times.many.push(await post(many));
    }
    const ratio = median(times.many) / median(times.one);
    console.log(
      `${route.name}: median ${median(times.one).toFixed(2)} ms with 1 signature, ` +
        `${median(times.many).toFixed(2)} ms with ${count} (${many.length} bytes), ratio ` +
        `${ratio.toFixed(2)}, over a ${route.body.length}-byte body (60 each, interleaved)`,
    );
    expect(ratio).toBeLessThan(2);
    expect([...personaStored, ...stripeStored]).toEqual([]);
    expect(new Set(log.lines.map((line) => line.level))).toEqual(new Set(["warn"]));
  }, 120_000);
});
