import { callFunction, connectToEmulators, functionParam, signedInUser } from "./support";

// The local stack runs with APP_CHECK=enforce (functions/.env.demo-passbase), as an app that turns
// it on: the Functions emulator decodes App Check tokens without verifying them, so a token from
// the local provider (localAppCheckToken) is what a client's custom provider hands it.
const ctx = connectToEmulators();

const verificationsOf = async (uid: string) =>
  (await ctx.db.collection("verifications").where("uid", "==", uid).get()).size;

describe("App Check on the callables, enforced on the local stack", () => {
  it("runs with APP_CHECK=enforce", () => {
    expect(functionParam("APP_CHECK")).toBe("enforce");
  });

  it("refuses a start without an App Check token, before anything is created, and takes one with it", async () => {
    const user = await signedInUser(ctx.auth);
    const token = await user.idToken();
    const refused = await callFunction("startVerification", { provider: "stripe" }, token, {
      appCheck: false,
    });
    expect([refused.status, refused.body.error?.status]).toEqual([401, "UNAUTHENTICATED"]);
    expect(await verificationsOf(user.uid)).toBe(0);

    const started = await callFunction("startVerification", { provider: "stripe" }, token);
    expect(started.status).toBe(200);
    expect(await verificationsOf(user.uid)).toBe(1);
  }, 30_000);

  it("refuses a link without an App Check token", async () => {
    const user = await signedInUser(ctx.auth);
    const refused = await callFunction(
      "linkVerification",
      { key: crypto.randomUUID() },
      await user.idToken(),
      { appCheck: false },
    );
    expect([refused.status, refused.body.error?.status]).toEqual([401, "UNAUTHENTICATED"]);
  });
});
