import functionsTest from "firebase-functions-test";
import { onDocumentWritten, type DocumentSnapshot } from "firebase-functions/firestore";
import type { DetailsFetcher } from "../../src/details/fetch-details";
import type { Reconciler } from "../../src/details/reconcile";
import { createLogs } from "../../src/logs";
import { createPassbaseApi } from "../../src/passbase/api-client";
import { createFetchVerificationDetails } from "../../src/triggers/fetch-verification-details";
import { createReconcileVerifications } from "../../src/triggers/reconcile-verifications";
import { recordingLogger } from "../support/recording";

const fft = functionsTest({ projectId: "demo-passbase" });
afterAll(() => {
  fft.cleanup();
});

const KEY = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
const api = createPassbaseApi({ baseUrl: "http://127.0.0.1:9", apiKey: "k" });

function setup(configured: boolean) {
  const fetched: string[] = [];
  const details = {
    fetch: (_api, key, eventId) => {
      fetched.push(`${key}:${eventId}`);
      return Promise.resolve("stored");
    },
  } as Pick<DetailsFetcher, "fetch"> as DetailsFetcher;
  const log = recordingLogger();
  const fn = onDocumentWritten(
    "verifications/{key}",
    createFetchVerificationDetails({
      api: () => (configured ? api : undefined),
      details,
      logs: createLogs(log.logger),
    }),
  );
  const write = (after: object) =>
    fft.wrap(fn)({
      data: fft.makeChange(
        fft.firestore.makeDocumentSnapshot({}, "") as DocumentSnapshot,
        fft.firestore.makeDocumentSnapshot(after, `verifications/${KEY}`) as DocumentSnapshot,
      ),
      params: { key: KEY },
    }) as Promise<void>;
  return { write, fetched, log };
}

describe("fetchVerificationDetails (firebase-functions-test)", () => {
  it("fetches after a decision", async () => {
    const { write, fetched } = setup(true);
    await write({ status: "approved", eventId: "e1" });
    expect(fetched).toEqual([`${KEY}:e1`]);
  });

  it.each([
    ["a pending verification", { status: "pending", eventId: "e1" }],
    [
      "a decision already fetched",
      { status: "approved", eventId: "e1", identity: { eventId: "e1" } },
    ],
    [
      "a decision being fetched",
      { status: "declined", eventId: "e1", identityFetch: { eventId: "e1" } },
    ],
    ["a link before any webhook", { uid: "u1" }],
  ])("does nothing for %s", async (_name, after) => {
    const { write, fetched } = setup(true);
    await write(after);
    expect(fetched).toEqual([]);
  });

  it("skips the fetch with an info log when no API key is set", async () => {
    const { write, fetched, log } = setup(false);
    await write({ status: "approved", eventId: "e1" });
    expect(fetched).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "info",
        message: "identity details skipped",
        fields: { ref: KEY.slice(0, 8), reason: "PASSBASE_SECRET_API_KEY is not set" },
      },
    ]);
  });
});

describe("reconcileVerifications", () => {
  it("skips the run with an info log when no API key is set", async () => {
    const log = recordingLogger();
    let ran = false;
    const reconciler = {
      run: () => {
        ran = true;
        return Promise.resolve({ examined: 0, decided: 0, details: 0, unchanged: 0, failed: 0 });
      },
    } as Pick<Reconciler, "run"> as Reconciler;
    await createReconcileVerifications({
      api: () => undefined,
      reconciler,
      options: () => ({ olderThanMinutes: 60, limit: 10 }),
      logs: createLogs(log.logger),
    })();
    expect(ran).toBe(false);
    expect(log.lines).toMatchObject([{ level: "info", message: "identity details skipped" }]);
  });
});
