import fc from "fast-check";
import request from "supertest";
import { parseOnfidoWebhook } from "../event";
import { runRecording } from "../module";
import { canRetry, neutralStatus } from "../observe";
import { mergeState, type VerificationState } from "../../../verification/observation";
import { receiverConfig, recordingApp } from "../../../../test/support/app";
import { newRunId, onfidoSignature, runWebhook } from "./kit";

// Vectors from the provider facts (../shared/providers/onfido.md), made there with the openssl
// CLI: Onfido's own (from onfido-node's tests) and a workflow_run.completed-shaped one.
const ONFIDOS = {
  token: "_ABC123abc123ABC123abc123ABC123_",
  body: '{"payload":{"resource_type":"check","action":"check.completed","object":{"id":"check-123","status":"complete","completed_at_iso8601":"2020-01-01T00:00:00Z","href":"https://api.onfido.com/v3/checks/check-123"}}}',
  signature: "a0082d7481f9f0a2907583dbe1f344d6d4c0d9989df2fd804f98479f60cd760e",
};
const OURS = {
  token: "test_webhook_token_ABC123",
  body: '{"payload":{"resource_type":"workflow_run","action":"workflow_run.completed","object":{"id":"a1b2c3d4-0000-4000-8000-000000000001","status":"approved","completed_at_iso8601":"2024-07-10T12:55:00Z","href":"https://api.eu.onfido.com/v3.6/workflow_runs/a1b2c3d4-0000-4000-8000-000000000001"}}}',
  signature: "3d1d6ea60de2cee49e4ab3cc642372e15163641397e2dc419d7ed9748aaed99b",
  withNewline: "99b4da1aefd9bb1d5f609177f11e28d75297df3b3575a339beb0b9b6b21de735",
  declined: "109bba7e5ba3cd56d5009ba607a4f41590f5677ac85dd51caac1a2b9c804bf34",
};
const REJECTED = { error: "invalid webhook" };

/** The in-process app with Onfido's route on, its token (or a rotation's two) configured. */
function setup(tokens = OURS.token) {
  const recorded = recordingApp(receiverConfig({ onfido: { webhookSecret: tokens } }));
  const post = (body: string, headers: Record<string, string>) =>
    request(recorded.app)
      .post("/webhooks/onfido")
      .set({ "Content-Type": "application/json", ...headers })
      .send(body);
  return { ...recorded, post };
}

describe("Onfido signatures through the route, with the official verifier", () => {
  it("computes the facts file's vectors", () => {
    expect(onfidoSignature(ONFIDOS.body, ONFIDOS.token)).toBe(ONFIDOS.signature);
    expect(onfidoSignature(OURS.body, OURS.token)).toBe(OURS.signature);
    expect(onfidoSignature(`${OURS.body}\n`, OURS.token)).toBe(OURS.withNewline);
    expect(onfidoSignature(OURS.body.replace("approved", "declined"), OURS.token)).toBe(
      OURS.declined,
    );
  });

  it("stores a verified run event, and acknowledges Onfido's own check vector storing nothing", async () => {
    const { post, all } = setup(`${ONFIDOS.token},${OURS.token}`);
    const run = await post(OURS.body, { "X-SHA2-Signature": OURS.signature.toUpperCase() });
    expect([run.status, run.body]).toEqual([200, { received: true, outcome: "applied" }]);
    const check = await post(ONFIDOS.body, { "X-SHA2-Signature": ONFIDOS.signature });
    expect([check.status, check.body]).toEqual([200, { received: true, outcome: "ignored" }]);
    expect(all.map((r) => [r.id, r.state?.observation.status])).toEqual([
      ["a1b2c3d4-0000-4000-8000-000000000001", "approved"],
    ]);
  });

  // The facts file's table of what the library does with each header, and what the route answers.
  it.each([
    ["no header", undefined],
    ["an empty header", ""],
    ["a truncated signature (the library: RangeError)", OURS.signature.slice(0, 40)],
    ["a sha256=-prefixed signature", `sha256=${OURS.signature}`],
    [
      "the valid signature with trailing characters (the library accepts it)",
      `${OURS.signature}zz`,
    ],
    ["a wrong 64-hex signature", "ab".repeat(32)],
    ["the signature of the body with a newline", OURS.withNewline],
    ["another body's signature", OURS.declined],
  ])("answers %s with the uniform 400, never a 500, storing nothing", async (_name, header) => {
    const { post, all, log } = setup();
    const res = await post(OURS.body, header === undefined ? {} : { "X-SHA2-Signature": header });
    expect([res.status, res.body]).toEqual([400, REJECTED]);
    expect(all).toEqual([]);
    expect(log.lines).toMatchObject([{ level: "warn", message: "onfido webhook rejected" }]);
  });

  it("refuses a verified body that is not JSON, or not an envelope, with the same 400", async () => {
    const { post, all } = setup();
    for (const body of ["not json", '{"payload":{}}', "[]"]) {
      const res = await post(body, { "X-SHA2-Signature": onfidoSignature(body, OURS.token) });
      expect([res.status, res.body]).toEqual([400, REJECTED]);
    }
    expect(all).toEqual([]);
  });

  it("accepts either token of a rotation", async () => {
    const { post, all } = setup(`new_token_XYZ,${OURS.token}`);
    const res = await post(OURS.body, { "X-SHA2-Signature": OURS.signature });
    expect(res.status).toBe(200);
    expect(all).toHaveLength(1);
  });
});

describe("reading Onfido's run events", () => {
  it("keeps no output, link, token or customer_user_id", () => {
    const parsed = parseOnfidoWebhook(runWebhook(newRunId(), "approved", Date.now()));
    expect(parsed).toMatchObject({ kind: "run", status: "approved" });
    expect(JSON.stringify(parsed)).not.toMatch(
      /Jane|Doe|X1234567|ZQ7731942|Zebedee|Quillfeather|secret|someone|timeline/,
    );
  });

  it.each([
    ["approved", "approved", false],
    ["declined", "declined", false],
    ["review", "pending", false],
    ["processing", "pending", false],
    ["awaiting_input", "pending", false],
    ["awaiting_client_input", "pending", false],
    ["abandoned", "expired", true],
    ["error", "expired", true],
    ["11184809", undefined, false],
    ["paused", undefined, false],
  ])("maps %s to %s (canRetry %s)", (status, neutral, retry) => {
    expect([neutralStatus(status), canRetry(status)]).toEqual([neutral, retry]);
  });

  it("records nothing for a status this version does not know, the library's 11184809 included", () => {
    expect(runRecording(newRunId(), "11184809", 1000, "workflow_run.completed")).toBeUndefined();
  });
});

/** A run's statuses: in review, approved, abandoned a day later (never over the approval). */
const id = newRunId();
const life = [
  ["awaiting_input", 0],
  ["processing", 60_000],
  ["review", 120_000],
  ["approved", 3_600_000],
  ["abandoned", 90_000_000],
  ["error", 3_600_000],
] as const;
const fold = (steps: readonly (typeof life)[number][]) =>
  steps.reduce<VerificationState | undefined>((state, [status, at]) => {
    const observation = runRecording(id, status, at, "workflow_run.completed")?.state?.observation;
    return observation ? mergeState(state, observation) : state;
  }, undefined);

describe("the merge over Onfido's run events", () => {
  it("ends approved: neither an end nor progress replaces a decision", () => {
    expect(fold(life)).toMatchObject({ status: "approved", providerStatus: "approved" });
  });

  it("converges to one state for any order, with repeats", () => {
    const expected = fold(life);
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...life, ...life], { minLength: life.length * 2 }),
        (order) => {
          expect(fold(order)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
