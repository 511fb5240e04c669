import fc from "fast-check";
import { Timestamp } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { newSessionId, postStripeWebhook, stripeHistory } from "../support/stripe";
import { encryptedBody, lifecycle, millis, type Payload } from "../support/webhooks";
import { postWebhook, connectToEmulators, localSecret } from "./support";

const ctx = connectToEmulators();

// The Functions emulator starts a worker process per request in flight: ~8 suits 2 cores.
const IN_FLIGHT = 8;
const KEYS = 200;

describe("the storm: many identities in flight at once, with duplicates", () => {
  it("ends with every verification right, zero wrong states and zero lost events", async () => {
    const identities = Array.from({ length: KEYS }, (_, i) =>
      lifecycle(randomUUID(), i % 3 === 0 ? "declined" : "approved"),
    );
    // Both events of every identity, and a repeat of one or both; each delivery freshly
    // encrypted, as a retry from Passbase would be.
    const deliveries: Payload[] = identities.flatMap(({ completed, reviewed }, i) =>
      i % 2 === 0 ? [completed, reviewed, completed, reviewed] : [completed, reviewed, reviewed],
    );
    const order = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), {
      numRuns: 1,
      seed: 2026,
    })[0];
    expect(order).toHaveLength(deliveries.length);

    const limit = pLimit(IN_FLIGHT);
    const answers = await Promise.all(
      (order ?? []).map((payload) =>
        limit(() => postWebhook(ctx.base, encryptedBody(payload, ctx.secret))),
      ),
    );

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const outcomes = answers.map((a) => (JSON.parse(a.text) as { outcome: string }).outcome);
    expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(deliveries.length - 2 * KEYS);

    const wrong: string[] = [];
    const lost: string[] = [];
    const docs = await Promise.all(
      identities.map(({ reviewed }) => ctx.db.collection("verifications").doc(reviewed.key).get()),
    );
    const trails = await Promise.all(docs.map((doc) => doc.ref.collection("events").get()));
    identities.forEach(({ completed, reviewed }, i) => {
      const doc = docs[i];
      const right =
        doc?.get("status") === reviewed.status &&
        doc.get("event") === "VERIFICATION_REVIEWED" &&
        (doc.get("updated") as Timestamp).isEqual(Timestamp.fromMillis(millis(reviewed.updated)));
      if (!right) wrong.push(reviewed.key);
      const audited = trails[i]?.docs.map((d) => d.get("event") as unknown).sort();
      if (JSON.stringify(audited) !== JSON.stringify([completed.event, reviewed.event])) {
        lost.push(reviewed.key);
      }
    });
    expect({ wrong, lost }).toEqual({ wrong: [], lost: [] });
  }, 300_000);

  it("settles both events of one identity arriving at the same moment, many times over", async () => {
    const identities = Array.from({ length: 16 }, () => lifecycle());
    const limit = pLimit(IN_FLIGHT);
    const answers = await Promise.all(
      identities.flatMap(({ completed, reviewed }) =>
        [reviewed, completed, reviewed, completed].map((payload) =>
          limit(() => postWebhook(ctx.base, encryptedBody(payload, ctx.secret))),
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    for (const { reviewed } of identities) {
      const doc = await ctx.db.collection("verifications").doc(reviewed.key).get();
      expect([doc.get("status"), doc.get("event")]).toEqual(["approved", "VERIFICATION_REVIEWED"]);
      expect((await doc.ref.collection("events").get()).size).toBe(2);
    }
  }, 120_000);

  it("ends right with Passbase and Stripe verifications mixed in one storm", async () => {
    const passbase = Array.from({ length: KEYS / 2 }, () => lifecycle());
    const stripe = Array.from({ length: KEYS / 2 }, () => stripeHistory(newSessionId()));
    const stripeSecret = localSecret("STRIPE_WEBHOOK_SECRET");
    const deliveries: (() => Promise<{ status: number }>)[] = [
      ...passbase.flatMap(({ completed, reviewed }) =>
        [completed, reviewed, reviewed].map(
          (payload) => () => postWebhook(ctx.base, encryptedBody(payload, ctx.secret)),
        ),
      ),
      ...stripe.flatMap((events) =>
        [...events, ...events.slice(4, 5)].map(
          (event) => () => postStripeWebhook(ctx.base, event, stripeSecret),
        ),
      ),
    ];
    const order = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), {
      numRuns: 1,
      seed: 2611,
    })[0];
    const limit = pLimit(IN_FLIGHT);
    const answers = await Promise.all((order ?? []).map((deliver) => limit(deliver)));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers).toHaveLength(deliveries.length);

    const statuses = async (ids: string[]) =>
      Promise.all(
        ids.map(async (id) => {
          const doc = await ctx.db.collection("verifications").doc(id).get();
          return [doc.get("status"), (await doc.ref.collection("events").get()).size] as unknown[];
        }),
      );
    expect(await statuses(passbase.map(({ reviewed }) => reviewed.key))).toEqual(
      passbase.map(({ reviewed }) => [reviewed.status, 2]),
    );
    expect(await statuses(stripe.map((events) => events[0]?.data.object.id ?? ""))).toEqual(
      stripe.map((events) => ["approved", events.length]),
    );
  }, 300_000);
});
