import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  type RulesTestEnvironment,
} from "@firebase/rules-unit-testing";
import { setLogLevel } from "firebase/firestore";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROJECT } from "./support";

// Denied writes are the point of these tests; the client SDK would warn about each one.
setLogLevel("error");

let env: RulesTestEnvironment;
// Fresh ids each run, and no `status` on seeded verifications, so the user trigger has nothing to do.
const alice = `alice-${randomUUID()}`;
const bob = `bob-${randomUUID()}`;
const linked = randomUUID();
const unlinked = randomUUID();
const erased = randomUUID();

beforeAll(async () => {
  const [host, port] = (process.env.FIRESTORE_EMULATOR_HOST ?? "").split(":");
  env = await initializeTestEnvironment({
    projectId: PROJECT,
    firestore: {
      rules: readFileSync(join(__dirname, "..", "..", "..", "firestore.rules"), "utf8"),
      host: host ?? "127.0.0.1",
      port: Number(port),
    },
  });
  await env.withSecurityRulesDisabled(async (context) => {
    const db = context.firestore();
    await db.doc(`verifications/${linked}`).set({ uid: alice });
    await db.doc(`verifications/${linked}/events/e1`).set({ event: "X" });
    await db.doc(`verifications/${linked}/linkConflicts/bob`).set({ by: "metadata" });
    await db.doc(`verifications/${unlinked}`).set({ note: "not linked" });
    await db.doc(`verifications/${erased}`).set({ provider: "stripe", erasure: { state: "done" } });
    await db.doc(`verificationStarts/stripe:${alice}`).set({ until: 1 });
    await db.doc(`users/${alice}`).set({
      displayName: "Alice",
      verification: { key: linked, status: "approved", reviewedAt: null },
    });
    await db.doc(`users/${bob}`).set({ displayName: "Bob" });
  });
});
afterAll(() => env.cleanup());

const as = (uid: string | undefined) =>
  uid ? env.authenticatedContext(uid).firestore() : env.unauthenticatedContext().firestore();

describe("firestore.rules", () => {
  describe("users/{uid}", () => {
    it("lets a user read their own document", async () => {
      await assertSucceeds(as(alice).doc(`users/${alice}`).get());
    });
    it.each([
      ["another user", bob],
      ["a signed-out client", undefined],
    ])("refuses %s a read", async (_name, uid) => {
      await assertFails(as(uid).doc(`users/${alice}`).get());
    });
    it("lets a user write fields of their own document that the backend does not own", async () => {
      await assertSucceeds(as(alice).doc(`users/${alice}`).update({ displayName: "Al" }));
      await assertSucceeds(as(alice).doc(`users/${alice}`).set({ theme: "dark" }, { merge: true }));
    });
    it("refuses a user any write to `verification`", async () => {
      const own = as(alice).doc(`users/${alice}`);
      await assertFails(own.update({ "verification.status": "declined" }));
      await assertFails(own.update({ verification: { key: linked, status: "declined" } }));
      await assertFails(own.set({ displayName: "Al" }));
    });
    it("refuses a user any write to `attempt`, which the backend owns too", async () => {
      const own = as(alice).doc(`users/${alice}`);
      await assertFails(own.update({ attempt: { key: linked, status: "expired" } }));
      await assertFails(own.update({ "attempt.status": "pending" }));
    });
    it("lets a user create their own document, but not with `verification` or `attempt`", async () => {
      const carol = `carol-${randomUUID()}`;
      await assertFails(
        as(carol)
          .doc(`users/${carol}`)
          .set({ verification: { status: "approved" } }),
      );
      await assertFails(
        as(carol)
          .doc(`users/${carol}`)
          .set({ attempt: { status: "pending" } }),
      );
      await assertSucceeds(as(carol).doc(`users/${carol}`).set({ displayName: "Carol" }));
    });
    it("refuses writes to someone else's document, and deletes", async () => {
      await assertFails(as(bob).doc(`users/${alice}`).update({ displayName: "x" }));
      await assertFails(as(undefined).doc(`users/${bob}`).set({ displayName: "x" }));
      await assertFails(as(alice).doc(`users/${alice}`).delete());
    });
  });

  describe("verifications/{key}", () => {
    it("lets the linked user read it", async () => {
      await assertSucceeds(as(alice).doc(`verifications/${linked}`).get());
    });
    it.each([
      ["another user", bob],
      ["a signed-out client", undefined],
    ])("refuses %s a read", async (_name, uid) => {
      await assertFails(as(uid).doc(`verifications/${linked}`).get());
    });
    it("refuses everyone an unlinked verification", async () => {
      await assertFails(as(alice).doc(`verifications/${unlinked}`).get());
    });
    it("refuses every client write, even the linked user's", async () => {
      await assertFails(as(alice).doc(`verifications/${linked}`).set({ status: "approved" }));
      await assertFails(as(alice).doc(`verifications/${linked}`).update({ status: "approved" }));
      await assertFails(as(alice).doc(`verifications/${randomUUID()}`).set({ uid: alice }));
      await assertFails(as(alice).doc(`verifications/${linked}`).delete());
    });
    it("keeps the audit trail from every client, the linked user included", async () => {
      await assertFails(as(alice).doc(`verifications/${linked}/events/e1`).get());
      await assertFails(as(alice).collection(`verifications/${linked}/events`).get());
      await assertFails(as(alice).doc(`verifications/${linked}/events/e2`).set({ event: "X" }));
    });
    it("keeps a disputed link's other uid from every client, the linked user included", async () => {
      await assertFails(as(alice).doc(`verifications/${linked}/linkConflicts/bob`).get());
      await assertFails(as(alice).collection(`verifications/${linked}/linkConflicts`).get());
    });
    it("refuses everyone an erased verification, and leaves erasure to the server", async () => {
      await assertFails(as(alice).doc(`verifications/${erased}`).get());
      await assertFails(
        as(alice).doc(`verifications/${linked}`).update({ erasedAt: 1, uid: null }),
      );
      await assertFails(as(alice).doc(`users/${alice}`).delete());
      await assertFails(as(alice).doc(`users/${alice}`).update({ verification: null }));
    });
    it("keeps start leases from every client", async () => {
      await assertFails(as(alice).doc(`verificationStarts/stripe:${alice}`).get());
      await assertFails(as(alice).doc(`verificationStarts/stripe:${alice}`).delete());
    });
    it("refuses listing all verifications", async () => {
      await assertFails(as(alice).collection("verifications").get());
    });
  });
});
