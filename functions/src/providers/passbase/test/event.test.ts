import { parseWebhookEvent } from "../event";
import { lifecycle } from "./kit";

const { completed, reviewed } = lifecycle("b76e244e-26a3-49ef-9c72-3e599bf0b5f2");

describe("parseWebhookEvent", () => {
  it.each(["pending", "approved", "declined"])("accepts COMPLETED with status %s", (status) => {
    expect(parseWebhookEvent({ ...completed, status })).toEqual({
      kind: "status",
      event: { ...completed, status },
    });
  });

  it.each(["approved", "declined"])("accepts REVIEWED with status %s", (status) => {
    expect(parseWebhookEvent({ ...reviewed, status })).toEqual({
      kind: "status",
      event: { ...reviewed, status },
    });
  });

  it("refuses REVIEWED with status pending: a review always decides", () => {
    expect(parseWebhookEvent({ ...reviewed, status: "pending" })).toEqual({
      kind: "invalid",
      issues: ["status: invalid_value"],
    });
  });

  it("stores the key lowercase, so one identity has one document", () => {
    const parsed = parseWebhookEvent({ ...completed, key: completed.key.toUpperCase() });
    expect(parsed).toEqual({ kind: "status", event: completed });
  });

  it("tolerates extra fields and drops them, so they are never stored", () => {
    const parsed = parseWebhookEvent({ ...completed, owner: { email: "a@example.com" } });
    expect(parsed).toEqual({ kind: "status", event: completed });
  });

  it.each([
    ["a key that is not a UUID", { key: "not-a-uuid" }, "key: invalid_format"],
    ["a negative timestamp", { created: -1 }, "created: too_small"],
    ["a fractional timestamp", { updated: 1.5 }, "updated: invalid_type"],
    ["a timestamp as a string", { processed: "1582628999" }, "processed: invalid_type"],
    ["a timestamp past year 9999", { processed: 253_402_300_800 }, "processed: too_big"],
    ["an unknown status", { status: "rejected" }, "status: invalid_value"],
    ["a missing timestamp", { created: undefined }, "created: invalid_type"],
  ])("refuses %s", (_name, change, issue) => {
    expect(parseWebhookEvent({ ...completed, ...change })).toEqual({
      kind: "invalid",
      issues: [issue],
    });
  });

  it.each([null, [], "VERIFICATION_COMPLETED", 42, {}])("refuses %j", (json) => {
    expect(parseWebhookEvent(json).kind).toBe("invalid");
  });

  it("keeps an event type this version does not know, for the audit trail only", () => {
    const later = { event: "DATAPOINT_UPDATED", key: completed.key, datapoint: { name: "x" } };
    expect(parseWebhookEvent(later)).toEqual({
      kind: "other",
      event: { event: "DATAPOINT_UPDATED", key: completed.key },
    });
  });

  it("refuses an unknown event type without a valid key: it could not be filed", () => {
    expect(parseWebhookEvent({ event: "DATAPOINT_UPDATED", key: "x" }).kind).toBe("invalid");
  });

  it("refuses event names that are not Passbase-style identifiers", () => {
    expect(parseWebhookEvent({ event: "../../etc", key: completed.key }).kind).toBe("invalid");
  });
});
