import { randomUUID } from "node:crypto";
import { KITS } from "../support/kits";
import { callFunction, connectToEmulators, drained, localSecret, signedInUser } from "./support";

// What every provider must do alike on the emulators, run once per provider.
const ctx = connectToEmulators();

const snapshot = async (id: string) => {
  const ref = ctx.db.collection("verifications").doc(id);
  const [doc, events] = await Promise.all([ref.get(), ref.collection("events").get()]);
  return { doc: doc.data(), events: events.size };
};

describe.each(KITS)("$id on the emulators, as every provider", (kit) => {
  it("never touches a verification stored for another provider, though its id matches", async () => {
    const id = kit.newId();
    const other = KITS.find((candidate) => candidate.id !== kit.id)?.id;
    // Ids of different providers can collide (Passbase's, Veriff's and Onfido's are all UUIDs).
    await ctx.db.collection("verifications").doc(id).set({ provider: other, status: "pending" });
    const before = await snapshot(id);
    const secret = localSecret(kit.secretName).split(/[\n,]/)[0] ?? "";
    const { path, body, headers } = kit.deliver(id, secret);
    const res = await fetch(`${ctx.base}${path}`, {
      method: "POST",
      headers,
      body,
    });
    expect([res.status, await res.text()]).toEqual([200, '{"received":true,"outcome":"ignored"}']);
    await drained(ctx);
    expect(await snapshot(id)).toEqual(before);
    expect(before).toEqual({ doc: { provider: other, status: "pending" }, events: 0 });
  }, 60_000);
});

describe("linkVerification", () => {
  it("links the verifications of the provider users link themselves, and no other's", async () => {
    const user = await signedInUser(ctx.auth);
    const key = randomUUID();
    await ctx.db.collection("verifications").doc(key).set({ provider: "stripe" });
    const answer = await callFunction("linkVerification", { key }, await user.idToken());
    expect([answer.status, answer.body.error?.status]).toEqual([409, "ALREADY_EXISTS"]);
    await drained(ctx);
    expect((await ctx.db.collection("verifications").doc(key).get()).data()).toEqual({
      provider: "stripe",
    });
    // A Passbase key nobody stored yet is linked, and labelled as Passbase's.
    const own = randomUUID();
    const linked = await callFunction("linkVerification", { key: own }, await user.idToken());
    expect(linked.status).toBe(200);
    expect((await ctx.db.collection("verifications").doc(own).get()).data()).toMatchObject({
      uid: user.uid,
      provider: "passbase",
    });
  }, 60_000);
});
