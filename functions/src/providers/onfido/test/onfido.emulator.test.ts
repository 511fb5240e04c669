import { postOnfidoWebhook, runWebhook } from "./kit";
import {
  functionParam,
  connectToEmulators,
  documents,
  eventually,
  localSecret,
  signedInUser,
  standIn,
  startedFor,
} from "../../../../test/emulator/support";

const ctx = connectToEmulators();
/** The local ONFIDO_WEBHOOK_TOKEN holds two tokens, as during a rotation. */
const tokens = () => localSecret("ONFIDO_WEBHOOK_TOKEN").split(",");
const send = (body: object, token = tokens()[0] ?? "") => postOnfidoWebhook(ctx.base, body, token);
const { verification, trail, sources, claim, claimBecomes } = documents(ctx);

const start = (user: { idToken: () => Promise<string> }) =>
  startedFor<{ id: string; sdkToken: string | null; url: string | null }>("onfido", user);

describe("startVerification for Onfido on the emulators", () => {
  it("creates a run for the caller with its uid, linked before it answers, and gives the open run back", async () => {
    const user = await signedInUser(ctx.auth);
    const first = await start(user);
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      sdkToken: expect.any(String) as string,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__pages\/onfido\//) as string,
    });
    const doc = await verification(first.id);
    expect(doc).toMatchObject({ uid: user.uid, linkedBy: "user", provider: "onfido" });
    const applicantId = (doc.start as { applicantId?: string } | undefined)?.applicantId;
    expect(applicantId).toMatch(/^[0-9a-f-]{36}$/);
    const [created] = (await standIn.requests(first.id)) as unknown as {
      headers: Record<string, string>;
      body: unknown;
    }[];
    expect(created?.body).toEqual({
      workflow_id: "00000000-0000-4000-8000-00000000f1d0",
      applicant_id: applicantId,
      customer_user_id: user.uid,
      link: { completed_redirect_url: functionParam("VERIFICATION_RETURN_URL") },
    });
    expect(created?.headers.authorization).toBe(`Token token=${localSecret("ONFIDO_API_TOKEN")}`);
    // The open run comes back with a fresh SDK token.
    const again = await start(user);
    expect([again.id, again.url]).toEqual([first.id, first.url]);
    expect(again.sdkToken).not.toBe(first.sdkToken);
    // Once it is decided, the next start makes a new run for the same applicant.
    await send(runWebhook(first.id, "declined", Date.now() - 60_000));
    const next = await start(user);
    expect(next.id).not.toBe(first.id);
    const [nextCreated] = (await standIn.requests(next.id)) as unknown as {
      body: { applicant_id?: string };
    }[];
    expect(nextCreated?.body.applicant_id).toBe(applicantId);
  }, 60_000);
});

describe("Onfido's API answers on the check queue", () => {
  it("never merges an answer dated further ahead than any clock: a genuine decline stands", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await start(user);
    // What the API answers the decision's details task: an approval dated in 9999.
    await standIn.program(id, [
      {
        status: 200,
        body: { id, status: "approved", updated_at: "9999-12-31T23:59:59Z", reasons: [] },
      },
    ]);
    expect((await send(runWebhook(id, "declined", Date.now() - 60_000))).status).toBe(200);
    // The details task asked the API, and only its audit entry was stored.
    await eventually(
      () => sources(id),
      (seen) => seen.includes("reconciliation"),
    );
    const doc = await verification(id);
    expect([doc.status, doc.providerStatus]).toEqual(["declined", "declined"]);
    const audited = await ctx.db.collection("verifications").doc(id).collection("events").get();
    expect(
      audited.docs
        .filter((d) => d.get("source") === "reconciliation")
        .map((d) => d.get("ignored") as unknown),
    ).toEqual(["future-timestamp"]);
    await claimBecomes(user.uid, false);
    expect(await claim(user.uid)).toBe(false);
  }, 60_000);
});

describe("POST /webhooks/onfido on the emulators", () => {
  it("accepts either token during a rotation (two webhooks), and the second delivery is a duplicate", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await start(user);
    const [oldToken, newToken] = tokens();
    const declined = runWebhook(id, "declined", Date.now() - 60_000);
    expect((await send(declined, oldToken)).text).toBe('{"received":true,"outcome":"applied"}');
    expect((await send(declined, newToken)).text).toBe('{"received":true,"outcome":"duplicate"}');
    expect(await trail(id)).toHaveLength(1);
    await claimBecomes(user.uid, false);
  }, 60_000);
});
