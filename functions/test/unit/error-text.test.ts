import { createLogs, errorText } from "../../src/logs";
import { recordingLogger } from "../support/recording";

// No error path logs a whole key: Firestore's errors name the document they were about.
const KEY = "5cb56e8e0a975a35f333cb83";

describe("errorText", () => {
  it("cuts the key it concerns, and every id after a collection name, to its ref", () => {
    const error = new Error(
      `Document "projects/p/databases/(default)/documents/verifications/${KEY}/events/.." is invalid; ${KEY} again`,
    );
    expect(errorText(error, KEY)).toBe(
      'Document "projects/p/databases/(default)/documents/verifications/5cb56e8e…/events/.." is invalid; 5cb56e8e… again',
    );
    expect(errorText(new Error(`users/${"u".repeat(28)} not found`))).toBe(
      "users/uuuuuuuu… not found",
    );
  });

  it("is what a storage failure's log line carries", () => {
    const log = recordingLogger();
    createLogs(log.logger).webhookNotStored("sumsub webhook", "Sumsub", {
      key: KEY,
      event: "applicantPending",
      ms: 3,
      error: new Error(`Path verifications/${KEY}/events/. is not a valid document path`),
    });
    expect(JSON.stringify(log.lines)).not.toContain(KEY);
    expect(log.lines[0]?.fields).toMatchObject({
      ref: "5cb56e8e",
      error: "Path verifications/5cb56e8e…/events/. is not a valid document path",
    });
  });
});
