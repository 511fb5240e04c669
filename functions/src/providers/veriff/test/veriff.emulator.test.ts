import { veriffSignature } from "../signature";
import { decisionWebhook, eventWebhook, newSessionId, postVeriffWebhook } from "./kit";
import {
  functionParam,
  allPaths,
  writtenSince,
  connectToEmulators,
  documents,
  localSecret,
  signedInUser,
  standIn,
  startedFor,
} from "../../../../test/emulator/support";

const ctx = connectToEmulators();
const secret = () => localSecret("VERIFF_SHARED_SECRET").split("\n")[0] ?? "";
const send = (body: object, signWith = secret()) => postVeriffWebhook(ctx.base, body, signWith);
const { verification, claimBecomes } = documents(ctx);

const start = (user: { idToken: () => Promise<string> }) =>
  startedFor<{ id: string; url: string; sessionToken: string | null }>("veriff", user);

describe("startVerification for Veriff on the emulators", () => {
  it("creates a session for the caller, linked before it answers, and gives it back while open", async () => {
    const user = await signedInUser(ctx.auth);
    const result = await start(user);
    expect(result).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__pages\/veriff\//) as string,
      sessionToken: expect.any(String) as string,
    });
    expect(await verification(result.id)).toMatchObject({
      uid: user.uid,
      linkedBy: "user",
      provider: "veriff",
    });
    const [created] = (await standIn.requests(result.id)) as unknown as {
      headers: Record<string, string>;
      body: unknown;
    }[];
    // The uid in vendorData, no personal data, and the body signed with the shared secret.
    expect(created?.body).toEqual({
      verification: { vendorData: user.uid, callback: functionParam("VERIFICATION_RETURN_URL") },
    });
    expect(created?.headers["x-auth-client"]).toBe(localSecret("VERIFF_API_KEY"));
    expect(created?.headers["x-hmac-signature"]).toBe(
      veriffSignature(JSON.stringify(created?.body), secret()),
    );
    // Veriff cannot give the URL again: the one kept is handed back while the session is open.
    expect(await start(user)).toEqual(result);
  }, 60_000);
});

describe("POST /webhooks/veriff on the emulators", () => {
  it("shows a resubmission request as declined with canRetry, then the next attempt's approval", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await start(user);
    const t = Date.now() - 600_000;
    await send(decisionWebhook(id, "resubmission_requested", t));
    expect(await verification(id)).toMatchObject({ status: "declined", canRetry: true });
    await send(eventWebhook(id, "started"));
    expect(await verification(id)).toMatchObject({ providerStatus: "resubmission_requested" });
    await send(decisionWebhook(id, "approved", t + 400_000));
    expect(await verification(id)).toMatchObject({ status: "approved", canRetry: false });
    await claimBecomes(user.uid, true);
  }, 60_000);

  it("writes nothing for a bad signature or a body of neither kind", async () => {
    const before = await allPaths(ctx.db);
    const id = newSessionId();
    const refused = { status: 400, text: '{"error":"invalid webhook"}' };
    expect(await send(decisionWebhook(id, "approved", Date.now()), "not-the-secret")).toEqual(
      refused,
    );
    expect(await send({ id, something: "else" })).toEqual(refused);
    expect(writtenSince(before, await allPaths(ctx.db))).toEqual([]);
  }, 60_000);
});
