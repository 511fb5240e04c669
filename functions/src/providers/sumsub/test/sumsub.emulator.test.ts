import { applicantWebhook, postSumsubWebhook } from "./kit";
import { requestSignature } from "../signature";
import {
  connectToEmulators,
  documents,
  eventually,
  localSecret,
  signedInUser,
  standIn,
  startedFor,
} from "../../../../test/emulator/support";

const ctx = connectToEmulators();
const secret = () => localSecret("SUMSUB_WEBHOOK_SECRET").split("\n")[0] ?? "";
const send = (body: object, signWith = secret()) => postSumsubWebhook(ctx.base, body, signWith);
const { verification, userRecord, claimBecomes } = documents(ctx);

const start = (user: { idToken: () => Promise<string> }) =>
  startedFor<{ id: string; accessToken: string }>("sumsub", user);

const recordStatus = async (uid: string) =>
  ((await userRecord(uid)) as { status?: string } | undefined)?.status;

describe("startVerification for Sumsub on the emulators", () => {
  it("creates an applicant for the caller, linked before it answers, and reuses it with a fresh token", async () => {
    const user = await signedInUser(ctx.auth);
    const first = await start(user);
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as string,
      accessToken: expect.stringMatching(/^_act-/) as string,
    });
    expect(await verification(first.id)).toMatchObject({
      uid: user.uid,
      linkedBy: "user",
      provider: "sumsub",
    });
    const [created] = (await standIn.requests(first.id)) as unknown as {
      headers: Record<string, string>;
      body: unknown;
      url: string;
    }[];
    // The uid as externalUserId, no personal data, signed as Sumsub requires.
    expect(created?.body).toEqual({ externalUserId: user.uid });
    expect(created?.url).toBe("/resources/applicants?levelName=basic-kyc-level");
    const ts = Number(created?.headers["x-app-access-ts"]);
    expect(created?.headers["x-app-access-sig"]).toBe(
      requestSignature(
        localSecret("SUMSUB_SECRET_KEY"),
        ts,
        "POST",
        created?.url ?? "",
        JSON.stringify(created?.body),
      ),
    );
    const second = await start(user);
    expect(second.id).toBe(first.id);
    expect(second.accessToken).not.toBe(first.accessToken);
  }, 60_000);
});

describe("POST /webhooks/sumsub on the emulators", () => {
  it("revokes the claim when a later review rejects the applicant", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await start(user);
    const t = Date.now() - 600_000;
    await send(applicantWebhook(id, "applicantReviewed", "completed", t, "GREEN"));
    await claimBecomes(user.uid, true);
    await send(applicantWebhook(id, "applicantReviewed", "completed", t + 300_000, "RED", "FINAL"));
    expect(await verification(id)).toMatchObject({
      status: "declined",
      reviewRejectType: "FINAL",
      rejectLabels: ["UNSATISFACTORY_PHOTOS"],
      canRetry: false,
    });
    await claimBecomes(user.uid, false);
  }, 60_000);

  it("leaves the user pending after a reset, which erased the review", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await start(user);
    const t = Date.now() - 600_000;
    await send(applicantWebhook(id, "applicantReviewed", "completed", t, "GREEN"));
    await claimBecomes(user.uid, true);
    await send(applicantWebhook(id, "applicantReset", "init", t + 300_000));
    expect(await verification(id)).toMatchObject({ status: "pending", providerStatus: "reset" });
    expect(
      await eventually(
        () => recordStatus(user.uid),
        (status) => status === "pending",
      ),
    ).toBe("pending");
    await claimBecomes(user.uid, false);
    // A deactivation afterwards ends nothing that was decided; a duplicate adds nothing.
    const off = applicantWebhook(id, "applicantDeactivated", "init", t + 400_000);
    expect((await send(off)).text).toBe('{"received":true,"outcome":"recorded"}');
    expect((await send(off)).text).toBe('{"received":true,"outcome":"duplicate"}');
  }, 60_000);
});
