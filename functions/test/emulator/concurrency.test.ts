import fc from "fast-check";
import { Timestamp } from "firebase-admin/firestore";
import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import {
  finalStatus,
  newInquiryId,
  personaHistory,
  personaHistoryNames,
  postPersonaWebhook,
  storedEventIds,
} from "../../src/providers/persona/test/kit";
import {
  newSessionId,
  postStripeWebhook,
  stripeHistory,
} from "../../src/providers/stripe/test/kit";
import {
  encryptedBody,
  lifecycle,
  millis,
  type Payload,
} from "../../src/providers/passbase/test/kit";
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

  it("ends right with Passbase, Stripe and Persona verifications mixed in one storm", async () => {
    const passbase = Array.from({ length: KEYS / 2 }, () => lifecycle());
    const stripe = Array.from({ length: KEYS / 2 }, () => stripeHistory(newSessionId()));
    const persona = Array.from({ length: KEYS / 2 }, (_, i) => {
      const name = personaHistoryNames[i % personaHistoryNames.length] ?? "duplicates";
      return { name, events: personaHistory(newInquiryId(), name) };
    });
    const stripeSecret = localSecret("STRIPE_WEBHOOK_SECRET");
    const personaSecret = localSecret("PERSONA_WEBHOOK_SECRET");
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
      ...persona.flatMap(({ events }) =>
        [...events, ...events.slice(-1)].map(
          (event) => () => postPersonaWebhook(ctx.base, event, [personaSecret]),
        ),
      ),
    ];
    const order = fc.sample(fc.shuffledSubarray(deliveries, { minLength: deliveries.length }), {
      numRuns: 1,
      seed: 2611,
    })[0];
    // Seven events of one verification can meet in the emulator at once, and two transactions
    // that read one document and then both write it wait out the emulator's lock timeout. The
    // receiver then answers 503, and the providers retry; so does this storm, at most 3 times.
    const limit = pLimit(IN_FLIGHT);
    const retried: number[] = [];
    const deliverAsProviders = async (deliver: () => Promise<{ status: number }>) => {
      for (let attempt = 1; ; attempt++) {
        const answer = await deliver();
        if (answer.status !== 503 || attempt > 3) return answer;
        retried.push(attempt);
      }
    };
    const answers = await Promise.all(
      (order ?? []).map((deliver) => limit(() => deliverAsProviders(deliver))),
    );
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(answers).toHaveLength(deliveries.length);
    expect(retried.length).toBeLessThan(deliveries.length / 50);

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
    const neutral = (status: string) =>
      status === "approved" || status === "declined" ? status : "pending";
    expect(
      await statuses(persona.map(({ events }) => events[0]?.data.attributes.payload.data.id ?? "")),
    ).toEqual(
      persona.map(({ name, events }) => [
        neutral(finalStatus(name)),
        storedEventIds(events).length,
      ]),
    );
  }, 300_000);
});
