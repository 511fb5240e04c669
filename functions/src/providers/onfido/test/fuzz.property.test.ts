import fc from "fast-check";
import { receiverConfig, recordingApp, serveForSuite } from "../../../../test/support/app";
import { distinctAnswers, fuzzedBodies, REJECTED } from "../../../../test/support/fuzz";
import { newRunId, onfidoSignature, runWebhook } from "./kit";

const TOKEN = "onfido_route_test_token";

const { app, log, all } = recordingApp(
  receiverConfig({
    passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
    onfido: { webhookSecret: TOKEN },
  }),
);
const url = serveForSuite(app);

const valid = JSON.stringify(runWebhook(newRunId(), "approved", Date.now()));
const signature = onfidoSignature(valid, TOKEN);

describe("POST /webhooks/onfido, property-based, in process", () => {
  it("answers 10,000 fuzzed bodies and headers identically, storing nothing, never a 500", async () => {
    const headers = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.stringMatching(/^[0-9a-f]{64}$/),
      // The valid signature followed by anything: the library would accept it.
      fc.string({ minLength: 1, maxLength: 8 }).map((tail) => `${signature}${tail}`),
      fc.constant(onfidoSignature(valid, "another_token")),
    );
    const answers = await distinctAnswers(
      url("/webhooks/onfido"),
      "X-SHA2-Signature",
      fuzzedBodies(valid),
      headers.filter((h) => h === undefined || h.trim() !== signature),
    );
    expect(answers).toEqual([REJECTED]);
    expect(all).toEqual([]);
    expect(log.lines.filter((l) => l.level !== "warn")).toEqual([]);
    expect(log.text()).not.toMatch(
      /Jane|Doe|X1234567|ZQ7731942|Zebedee|Quillfeather|secret|someone/,
    );
  }, 120_000);
});
