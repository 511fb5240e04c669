import { Timestamp } from "firebase-admin/firestore";
import {
  apiSession,
  kit,
  newSessionId,
  postStripeWebhook,
  sessionEvent,
  stripeHistory,
} from "./kit";
import {
  functionParam,
  callFunction,
  connectToEmulators,
  documents,
  eventually,
  localSecret,
  runSchedule,
  signedInUser,
  standIn,
} from "../../../../test/emulator/support";

const ctx = connectToEmulators();
const secret = () => localSecret("STRIPE_WEBHOOK_SECRET");

const send = (event: object, signWith = secret()) => postStripeWebhook(ctx.base, event, signWith);

const { verification, trail, sources, userRecord, claim, claimBecomes, makeDue, statusBecomes } =
  documents(ctx);

const history = (id: string) => stripeHistory(id);

describe("POST /webhooks/stripe on the emulators", () => {
  it("moves a verified session back when Stripe does (a manual override)", async () => {
    const id = newSessionId();
    const events = history(id);
    for (const event of events) await send(event);
    const t = (events[4] as { created: number }).created;
    await send(
      sessionEvent(id, "requires_input", "requires_input", t + 600, "document_unverified_other"),
    );
    expect(await verification(id)).toMatchObject({
      status: "declined",
      providerStatus: "requires_input",
      lastErrorCode: "document_unverified_other",
    });
  }, 60_000);

  it("marks a redaction without changing the status, and stores nothing of a new event type", async () => {
    const id = newSessionId();
    const t = Math.floor(Date.now() / 1000) - 60;
    await send(sessionEvent(id, "verified", "verified", t));
    const redacted = sessionEvent(id, "redacted", "verified", t + 10);
    expect((await send(redacted)).text).toBe('{"received":true,"outcome":"recorded"}');
    const novel = sessionEvent(id, "something_new", "canceled", t + 20);
    expect((await send(novel)).text).toBe('{"received":true,"outcome":"ignored"}');
    expect(await verification(id)).toMatchObject({ status: "approved", redacted: true });
    expect(await trail(id)).toHaveLength(2);
  }, 60_000);
});

const start = (idToken?: string, data: unknown = { provider: "stripe" }) =>
  callFunction("startVerification", data, idToken);
const now = () => Math.floor(Date.now() / 1000);
describe("startVerification on the emulators", () => {
  it("creates a session for the signed-in caller, linked before it answers, and resumes it", async () => {
    const user = await signedInUser(ctx.auth);
    const first = await start(await user.idToken());
    expect(first.status).toBe(200);
    const result = first.body.result as { id: string; clientSecret: string; url: string };
    expect(result).toEqual({
      id: expect.stringMatching(/^vs_/) as string,
      clientSecret: expect.stringMatching(/_secret_/) as string,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__pages\/stripe\//) as string,
    });
    expect(await verification(result.id)).toMatchObject({
      uid: user.uid,
      linkedBy: "user",
      provider: "stripe",
    });
    const [created] = (await standIn.requests(result.id)) as unknown as {
      headers: Record<string, string>;
      form: Record<string, string>;
    }[];
    expect(created?.form).toEqual({
      type: "document",
      client_reference_id: user.uid,
      "metadata[firebase_uid]": user.uid,
      // VERIFICATION_RETURN_URL of the local stack: Stripe's page sends the user back there.
      return_url: functionParam("VERIFICATION_RETURN_URL"),
    });
    expect(created?.headers["idempotency-key"]).toBe(`firebase-start-${user.uid}-0`);
    expect(created?.headers.authorization).toBe(`Bearer ${localSecret("STRIPE_SECRET_KEY")}`);

    const again = await start(await user.idToken());
    expect((again.body.result as { id: string }).id).toBe(result.id);
  }, 60_000);

  it.each([
    ["no signed-in user", undefined, { provider: "stripe" }, 401, "UNAUTHENTICATED"],
    ["another provider", "token", { provider: "passbase" }, 400, "INVALID_ARGUMENT"],
  ])("refuses %s", async (_name, token, data, status, code) => {
    const user = await signedInUser(ctx.auth);
    const res = await start(token ? await user.idToken() : undefined, data);
    expect([res.status, res.body.error?.status]).toEqual([status, code]);
  });

  it("carries Stripe's decisions to the user, and an override revokes the claim", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = (await start(await user.idToken())).body.result as { id: string };
    await standIn.program(id, [{ status: 200, body: apiSession(id, "verified") }]);
    const t = now() - 120;
    await send(sessionEvent(id, "processing", "processing", t));
    await send(sessionEvent(id, "verified", "verified", t + 30));
    expect(
      await eventually(
        async () => [await userRecord(user.uid), await claim(user.uid)],
        // The claim is set first, then the record; the facts follow the details: wait for all.
        ([r, c]) => c === true && (r as { facts?: unknown } | undefined)?.facts !== undefined,
      ),
    ).toEqual([
      {
        key: id,
        status: "approved",
        reviewedAt: Timestamp.fromMillis((t + 30) * 1000),
        facts: { ...kit.facts, factsAt: expect.any(Timestamp) as Timestamp },
        documentExpired: false,
      },
      true,
    ]);

    // A manual override in Stripe's Dashboard, after the API confirmed the approval.
    await eventually(
      async () => (await verification(id)).identity as { status?: string } | undefined,
      (identity) => identity?.status === "verified",
    );
    await standIn.program(id, [
      { status: 200, body: apiSession(id, "requires_input", "document_unverified_other") },
    ]);
    await send(
      sessionEvent(id, "requires_input", "requires_input", t + 90, "document_unverified_other"),
    );
    expect(
      await eventually(
        async () => [await userRecord(user.uid), await claim(user.uid)],
        ([r, c]) => c === false && (r as { status?: string } | undefined)?.status === "declined",
      ),
    ).toEqual([
      { key: id, status: "declined", reviewedAt: Timestamp.fromMillis((t + 90) * 1000) },
      false,
    ]);
  }, 60_000);

  it("applies webhooks that came before the link once the session is linked", async () => {
    const user = await signedInUser(ctx.auth);
    // The session exists at Stripe before startVerification answers (its retry finds it again).
    const created = await fetch(`${standIn.base}/v1/identity/verification_sessions`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${localSecret("STRIPE_SECRET_KEY")}`,
        "Idempotency-Key": `firebase-start-${user.uid}-0`,
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ type: "document", client_reference_id: user.uid }),
    });
    const { id } = (await created.json()) as { id: string };
    await standIn.program(id, [{ status: 200, body: apiSession(id, "verified") }]);
    await send(sessionEvent(id, "verified", "verified", now() - 10));
    expect((await verification(id)).uid).toBeUndefined();

    expect(((await start(await user.idToken())).body.result as { id: string }).id).toBe(id);
    expect(await claimBecomes(user.uid, true)).toBe(true);
  }, 60_000);

  it("heals a lost webhook within one task run: the API's answer wins when it says more", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = (await start(await user.idToken())).body.result as { id: string };
    // The verified webhook is lost; the failed attempt before it arrives.
    await standIn.program(id, [{ status: 200, body: apiSession(id, "verified") }]);
    await send(
      sessionEvent(id, "requires_input", "requires_input", now() - 60, "selfie_face_mismatch"),
    );

    const doc = await eventually(
      () => verification(id),
      (d) => d.status === "approved" && d.identity !== undefined,
    );
    expect(doc.identity).toEqual({
      status: "verified",
      type: "document",
      lastErrorCode: null,
      livemode: false,
      redactionStatus: null,
      eventId: doc.eventId as string,
      fetchedAt: expect.any(Timestamp) as Timestamp,
    });
    expect(await sources(id)).toEqual(["reconciliation", "webhook"]);
    expect(await claimBecomes(user.uid, true)).toBe(true);
  }, 60_000);

  it("reconciles a Stripe session whose decision never arrived", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = (await start(await user.idToken())).body.result as { id: string };
    await send(sessionEvent(id, "processing", "processing", now() - 3600));
    await standIn.program(id, [{ status: 200, body: apiSession(id, "verified") }]);
    await makeDue(id);

    expect(await runSchedule("reconcileVerifications")).toBe(200);

    expect(await statusBecomes(id, "approved")).toBe("approved");
  }, 60_000);
});
