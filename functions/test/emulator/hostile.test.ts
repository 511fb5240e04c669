import { Timestamp } from "firebase-admin/firestore";
import { PROVIDERS } from "../../src/providers/registry";
import { KITS, type Sent } from "../support/kits";
import { apiInquiry, inquiryEvent, postPersonaWebhook } from "../../src/providers/persona/test/kit";
import {
  apiSession,
  newSessionId,
  postStripeWebhook,
  sessionEvent,
} from "../../src/providers/stripe/test/kit";
import { encryptedBody, lifecycle } from "../../src/providers/passbase/test/kit";
import {
  callFunction,
  connectToEmulators,
  documents,
  drained,
  eventually,
  localSecret,
  postWebhook,
  runSchedule,
  settled,
  signedInUser,
  standIn,
} from "./support";

// The second hostile run's cases, driven through the routes, the check queue and the schedule.
const ctx = connectToEmulators();
const { verification, trail, claimBecomes, makeDue } = documents(ctx);

const post = async ({ path, body, headers }: Sent) => {
  const res = await fetch(`${ctx.base}${path}`, { method: "POST", headers, body });
  return [res.status, await res.text()];
};
const REFUSED = [400, '{"error":"invalid webhook"}'];
/** What is stored under one verification: the suites beside run background work of their own. */
const storedUnder = async (id: string) => {
  const ref = ctx.db.collection("verifications").doc(id);
  const [doc, events] = await Promise.all([ref.get(), ref.collection("events").get()]);
  return { exists: doc.exists, events: events.size };
};
const NOTHING = { exists: false, events: 0 };
/** 9999-12-31, about: the largest time every provider's schema takes. */
const YEAR_9999 = 253_402_300_000;

describe.each(KITS)("$id: a provider clock far ahead", (kit) => {
  const secret = () => localSecret(kit.secretName).split(/[\n,]/)[0] ?? "";
  // The first stage of the provider's last group: a decision.
  const stage = PROVIDERS.find((p) => p.id === kit.id)?.lifecycle.at(-1)?.[0] ?? "";

  it("refuses a genuine delivery dated over an hour ahead, writing nothing, and takes the next", async () => {
    const id = kit.newId();
    expect(await post(kit.stage(id, secret(), stage, YEAR_9999))).toEqual(REFUSED);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(await post(kit.stage(id, secret(), stage, nowSeconds + 2 * 3600))).toEqual(REFUSED);
    expect(await storedUnder(id)).toEqual(NOTHING);
    // Within the hour, a provider's clock is its own.
    const [status] = await post(kit.stage(id, secret(), stage, nowSeconds + 30 * 60));
    expect(status).toBe(200);
    expect(await trail(id)).toHaveLength(1);
    await drained(ctx);
  }, 60_000);
});

describe("Stripe: two stages in the same second", () => {
  const secret = () => localSecret("STRIPE_WEBHOOK_SECRET");
  it.each([
    ["processing first", ["processing", "verified"]],
    ["verified first", ["verified", "processing"]],
  ])(
    "ends approved with %s: verified can only follow processing",
    async (_name, order) => {
      const id = newSessionId();
      const t = Math.floor(Date.now() / 1000) - 60;
      for (const status of order) {
        const event = sessionEvent(id, status, status, t);
        expect((await postStripeWebhook(ctx.base, event, secret())).status).toBe(200);
      }
      expect(await verification(id)).toMatchObject({
        status: "approved",
        providerStatus: "verified",
      });
      await drained(ctx);
    },
    60_000,
  );
});

describe("Passbase: renamed event types", () => {
  it("acknowledges 300 IV-flipped variants of one delivery, and stores nothing for any", async () => {
    const { completed } = lifecycle();
    const body = Buffer.from(encryptedBody(completed, ctx.secret), "base64");
    const letters = "ABCDFGHIJKLMNOPQRSTUWXYZ";
    const answers = new Set<string>();
    for (let i = 0; i < 300; i++) {
      // "VE" of VERIFICATION_… becomes another pair of capitals: 300 distinct event types.
      const variant = Buffer.from(body);
      variant[10] = (variant[10] ?? 0) ^ "V".charCodeAt(0) ^ letters.charCodeAt(i % 24);
      variant[11] = (variant[11] ?? 0) ^ "E".charCodeAt(0) ^ letters.charCodeAt(Math.floor(i / 24));
      const res = await postWebhook(ctx.base, variant.toString("base64"));
      answers.add(`${res.status} ${res.text}`);
    }
    expect([...answers]).toEqual(['200 {"received":true,"outcome":"ignored"}']);
    expect(await storedUnder(completed.key)).toEqual(NOTHING);
  }, 120_000);
});

describe("a confirmation in flight never undoes a newer webhook", () => {
  const start = async (provider: string) => {
    const user = await signedInUser(ctx.auth);
    const answer = await callFunction("startVerification", { provider }, await user.idToken());
    expect(answer.status).toBe(200);
    return { user, id: (answer.body.result as { id: string }).id };
  };
  /** Runs a reconciliation check of `id` and resolves once its request reached the API. */
  const checkInFlight = async (id: string) => {
    const asked = (await standIn.requests(id)).length;
    await makeDue(id);
    expect(await runSchedule("reconcileVerifications")).toBe(200);
    await eventually(
      () => standIn.requests(id),
      (requests) => requests.length > asked,
    );
  };

  it("Persona: a reviewer's decline made during the request beats the API's older approval", async () => {
    const { user, id } = await start("persona");
    const secret = localSecret("PERSONA_WEBHOOK_SECRET");
    await postPersonaWebhook(
      ctx.base,
      inquiryEvent(id, "completed", "completed", Date.now() - 3_600_000),
      [secret],
    );
    // The API answers approved, slowly; asked again (the decline's details), it says declined.
    await standIn.program(id, [
      { status: 200, body: apiInquiry(id, "approved"), delayMs: 3000 },
      { status: 200, body: apiInquiry(id, "declined") },
    ]);
    await checkInFlight(id);
    const declined = inquiryEvent(id, "declined", "declined", Date.now());
    expect((await postPersonaWebhook(ctx.base, declined, [secret])).status).toBe(200);
    await settled("checkVerification");
    await drained(ctx);

    expect(await verification(id)).toMatchObject({
      status: "declined",
      providerStatus: "declined",
      observedAt: Timestamp.fromMillis(Date.parse(declined.data.attributes["created-at"])),
    });
    await claimBecomes(user.uid, false);
  }, 90_000);

  it("Stripe: a verified webhook from the request's flight beats the API's processing", async () => {
    const { user, id } = await start("stripe");
    const secret = localSecret("STRIPE_WEBHOOK_SECRET");
    const t = Math.floor(Date.now() / 1000);
    await postStripeWebhook(
      ctx.base,
      sessionEvent(id, "processing", "processing", t - 3600),
      secret,
    );
    await standIn.program(id, [
      { status: 200, body: apiSession(id, "processing"), delayMs: 2500 },
      { status: 200, body: apiSession(id, "verified") },
    ]);
    await checkInFlight(id);
    const verified = sessionEvent(id, "verified", "verified", Math.floor(Date.now() / 1000));
    expect((await postStripeWebhook(ctx.base, verified, secret)).status).toBe(200);
    await settled("checkVerification");
    await drained(ctx);

    expect(await verification(id)).toMatchObject({
      status: "approved",
      providerStatus: "verified",
    });
    await claimBecomes(user.uid, true);
  }, 90_000);
});
