import functionsTest from "firebase-functions-test";
import { onDocumentWritten, type DocumentSnapshot } from "firebase-functions/firestore";
import type { CheckQueue, CheckTask } from "../../src/background/queue";
import { createLogs } from "../../src/logs";
import type { SyncOutcome, UserSync } from "../../src/store/users";
import { createOnVerificationWritten } from "../../src/triggers/on-verification-written";
import { recordingLogger } from "../support/recording";

const fft = functionsTest({ projectId: "demo-passbase" });
afterAll(() => {
  fft.cleanup();
});

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const PATH = `verifications/${KEY}`;

function setup(queueAnswer: "queued" | "exists" = "queued") {
  const synced: string[] = [];
  const queued: { task: CheckTask; id: string | undefined }[] = [];
  const queue: CheckQueue = {
    enqueue: (task, id) => {
      queued.push({ task, id });
      return Promise.resolve(queueAnswer);
    },
  };
  const users: UserSync = {
    sync: (key) => {
      synced.push(key);
      return Promise.resolve<SyncOutcome>("updated");
    },
    read: () => Promise.resolve(undefined),
  };
  const log = recordingLogger();
  const fn = onDocumentWritten(
    "verifications/{key}",
    createOnVerificationWritten({ users, queue, logs: createLogs(log.logger) }),
  );
  const write = (before: object | undefined, after: object | undefined): Promise<void> => {
    // An empty path makes a snapshot of a document that does not exist.
    const snap = (data: object | undefined): DocumentSnapshot =>
      fft.firestore.makeDocumentSnapshot(data ?? {}, data ? PATH : "") as DocumentSnapshot;
    return fft.wrap(fn)({
      data: fft.makeChange(snap(before), snap(after)),
      params: { key: KEY },
    }) as Promise<void>;
  };
  return { write, synced, queued, log };
}

const pending = { status: "pending", eventId: "a" };
const approved = { status: "approved", eventId: "b" };

describe("onVerificationWritten (firebase-functions-test)", () => {
  it.each([
    ["a link", pending, { ...pending, uid: "u1" }],
    ["a link to a decision", approved, { ...approved, uid: "u1" }],
    ["a link conflict", { ...approved, uid: "u1" }, { ...approved, uid: "u1", linkConflict: {} }],
    [
      "the user taking over a metadata link",
      { ...approved, uid: "u1", linkedBy: "metadata" },
      { ...approved, uid: "u1", linkedBy: "user" },
    ],
  ])("syncs the user after %s, and queues nothing", async (_name, before, after) => {
    const { write, synced, queued, log } = setup();
    await write(before, after);
    expect(synced).toEqual([KEY]);
    expect(queued).toEqual([]);
    expect(log.lines).toMatchObject([
      { message: "user verification synced", fields: { ref: KEY.slice(0, 8), outcome: "updated" } },
    ]);
  });

  it.each([
    ["a decision", { ...pending, uid: "u1" }, { ...approved, uid: "u1" }],
    ["a first write", undefined, approved],
    ["a re-review", approved, { status: "declined", eventId: "c" }],
  ])("syncs the user, then queues one details task, after %s", async (_name, before, after) => {
    const { write, synced, queued, log } = setup();
    await write(before, after);
    expect(synced).toEqual([KEY]);
    expect(queued).toEqual([
      {
        task: { key: KEY, eventId: after.eventId },
        id: `${KEY}-details-${after.eventId}`,
      },
    ]);
    expect(log.lines.map((l) => l.message)).toEqual([
      "user verification synced",
      "identity details queued",
    ]);
  });

  it("takes a task the queue already has as queued (the trigger ran twice)", async () => {
    const { write, log } = setup("exists");
    await write(pending, approved);
    expect(log.lines[1]).toEqual({
      level: "info",
      message: "identity details queued",
      fields: { ref: KEY.slice(0, 8), outcome: "exists" },
    });
  });

  it.each([
    ["a write to unrelated fields", { ...approved, uid: "u1" }, { ...approved, uid: "u1", x: 1 }],
    [
      "the details landing",
      { ...approved, detailsPending: true, nextCheckAt: 1 },
      { ...approved, detailsPending: false, identity: { eventId: "b" } },
    ],
    ["the schedule moving on", { ...pending, checks: 1 }, { ...pending, checks: 2 }],
    ["a deletion", { ...approved, uid: "u1" }, undefined],
  ])("does nothing after %s", async (_name, before, after) => {
    const { write, synced, queued, log } = setup();
    await write(before, after);
    expect(synced).toEqual([]);
    expect(queued).toEqual([]);
    expect(log.lines).toEqual([]);
  });
});
