import { randomUUID } from "node:crypto";
import { Timestamp } from "firebase-admin/firestore";
import {
  encryptedBody,
  lifecycle,
  millis,
  type Payload,
} from "../../src/providers/passbase/test/kit";
import { postWebhook, connectToEmulators } from "./support";

const ctx = connectToEmulators();

const send = (payload: Payload | string, headers?: Record<string, string>) =>
  postWebhook(ctx.base, encryptedBody(payload, ctx.secret), headers);

const verification = (key: string) => ctx.db.collection("verifications").doc(key).get();
/** A verification's data without the details, which the check queue writes on its own schedule. */
const receiverView = async (key: string) => {
  const { identity: _identity, ...data } = (await verification(key)).data() ?? {};
  return data;
};
const auditTrail = async (key: string) =>
  (await ctx.db.collection("verifications").doc(key).collection("events").orderBy("event").get())
    .docs;

/**
 * The receiver's fields of a verification document, as a status event should leave them: the
 * state, reconciliation's first look an hour on, and, for a decision, the mark that details from
 * the API are needed (the check queue then writes `identity`, which is left out here).
 */
function expectedDocument(event: Payload, linked = false) {
  const decided = event.status !== "pending";
  return {
    ...(decided
      ? { detailsPending: true, detailsPendingSince: expect.any(Timestamp) as Timestamp }
      : {}),
    status: event.status,
    event: event.event,
    created: Timestamp.fromMillis(millis(event.created)),
    updated: Timestamp.fromMillis(millis(event.updated)),
    processed: Timestamp.fromMillis(millis(event.processed)),
    eventId: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
    provider: "passbase",
    canRetry: false,
    // A linked verification is on reconciliation's schedule; one nobody linked gets one look.
    ...(linked
      ? { nextCheckAt: expect.any(Timestamp) as Timestamp, checks: 0 }
      : { unlinkedCheckAt: expect.any(Timestamp) as Timestamp }),
  };
}

describe("POST /webhooks on the Functions and Firestore emulators", () => {
  it("records COMPLETED, then REVIEWED, with an audit entry for each", async () => {
    const { completed, reviewed } = lifecycle();

    const first = await send(completed);
    expect(first).toMatchObject({ status: 200, text: '{"received":true,"outcome":"applied"}' });
    // Committed before the answer: readable as soon as the 2xx arrives.
    expect(await receiverView(completed.key)).toEqual(expectedDocument(completed));

    expect(await send(reviewed)).toMatchObject({ status: 200 });
    expect(await receiverView(completed.key)).toEqual(expectedDocument(reviewed));

    const trail = await auditTrail(completed.key);
    expect(trail.map((doc) => doc.data())).toEqual(
      [completed, reviewed].map((event) => ({
        event: event.event,
        status: event.status,
        created: Timestamp.fromMillis(millis(event.created)),
        updated: Timestamp.fromMillis(millis(event.updated)),
        processed: Timestamp.fromMillis(millis(event.processed)),
        source: "webhook",
        receivedAt: expect.any(Timestamp) as Timestamp,
      })),
    );
    expect((await verification(completed.key)).get("eventId")).toBe(trail[1]?.id);
  });

  it("keeps the review when COMPLETED arrives after REVIEWED, and audits both", async () => {
    const { completed, reviewed } = lifecycle(randomUUID(), "declined");
    expect(await send(reviewed)).toMatchObject({ text: '{"received":true,"outcome":"applied"}' });
    expect(await send(completed)).toMatchObject({ text: '{"received":true,"outcome":"recorded"}' });
    expect(await receiverView(reviewed.key)).toEqual(expectedDocument(reviewed));
    expect(await auditTrail(reviewed.key)).toHaveLength(2);
  });

  it("adds nothing for a repeated delivery, even re-encrypted with another IV", async () => {
    const { completed } = lifecycle();
    await send(completed);
    const before = await verification(completed.key);
    const [entry] = await auditTrail(completed.key);

    expect(await send(completed)).toMatchObject({
      status: 200,
      text: '{"received":true,"outcome":"duplicate"}',
    });

    const after = await verification(completed.key);
    expect(after.updateTime?.isEqual(before.updateTime ?? Timestamp.now())).toBe(true);
    const trail = await auditTrail(completed.key);
    expect(trail).toHaveLength(1);
    expect(trail[0]?.updateTime.isEqual(entry?.updateTime ?? Timestamp.now())).toBe(true);
  });

  it("stores an upper-case key under its lower-case form", async () => {
    const { completed } = lifecycle();
    await send({ ...completed, key: completed.key.toUpperCase() });
    expect((await verification(completed.key)).get("status")).toBe("pending");
    expect((await verification(completed.key.toUpperCase())).exists).toBe(false);
  });

  it("acknowledges an event type it does not act on, storing nothing and changing no status", async () => {
    const { completed } = lifecycle();
    await send(completed);
    const later = { event: "DATAPOINT_UPDATED", key: completed.key, datapoint: "x", updated: 9 };
    expect(await send(later)).toMatchObject({
      status: 200,
      text: '{"received":true,"outcome":"ignored"}',
    });
    expect(await receiverView(completed.key)).toEqual(expectedDocument(completed));
    expect(await auditTrail(completed.key)).toHaveLength(1);
  });

  it("creates nothing for an unknown event type alone", async () => {
    const key = randomUUID();
    expect(await send({ event: "WATCHLIST_MONITORING", key })).toMatchObject({ status: 200 });
    expect((await verification(key)).exists).toBe(false);
    expect(await auditTrail(key)).toHaveLength(0);
  });

  it("leaves fields it does not own alone", async () => {
    const { completed, reviewed } = lifecycle();
    await ctx.db.collection("verifications").doc(completed.key).set({ uid: "user-1" });
    await send(completed);
    await send(reviewed);
    expect(await receiverView(completed.key)).toEqual({
      uid: "user-1",
      ...expectedDocument(reviewed, true),
    });
  });

  it.each([
    "text/plain",
    "text/plain; charset=utf-8",
    "text/plain;charset=UTF-8",
    "application/octet-stream",
    "application/x-www-form-urlencoded",
  ])("decrypts from the raw bytes whatever the content type: %s", async (type) => {
    const { completed } = lifecycle();
    expect(await send(completed, { "Content-Type": type })).toMatchObject({ status: 200 });
    expect((await verification(completed.key)).get("status")).toBe("pending");
  });
});
