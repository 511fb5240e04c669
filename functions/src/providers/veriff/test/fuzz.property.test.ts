import fc from "fast-check";
import { veriffSignature } from "../signature";
import { receiverConfig, recordingApp, serveForSuite } from "../../../../test/support/app";
import { distinctAnswers, fuzzedBodies, REJECTED } from "../../../../test/support/fuzz";
import { decisionWebhook, newSessionId } from "./kit";

const SECRET = "veriff-route-test-shared-secret";

const { app, log, all } = recordingApp(
  receiverConfig({
    passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
    veriff: { webhookSecret: SECRET },
  }),
);
const url = serveForSuite(app);

const valid = JSON.stringify(decisionWebhook(newSessionId(), "approved", Date.now()));

describe("POST /webhooks/veriff, property-based, in process", () => {
  it("answers 10,000 fuzzed bodies and headers identically, storing nothing", async () => {
    const headers = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      // Well-formed signatures that are wrong, in either case.
      fc.stringMatching(/^[0-9a-f]{64}$/),
      fc.stringMatching(/^[0-9A-F]{64}$/),
      // The valid body's signature under other secrets, and with a newline signed too.
      fc.constant(veriffSignature(valid, "veriff-other-secret")),
      fc.constant(veriffSignature(`${valid}\n`, SECRET)),
    );
    const answers = await distinctAnswers(
      url("/webhooks/veriff"),
      "X-HMAC-SIGNATURE",
      fuzzedBodies(valid),
      headers,
    );
    expect(answers).toEqual([REJECTED]);
    expect(all).toEqual([]);
    expect(log.lines.filter((l) => l.level !== "warn")).toEqual([]);
    expect(log.text()).not.toMatch(/Jane|Doe|X1234567|ZQ7731942|Zebedee|Quillfeather|someone/);
  }, 120_000);

  it("refuses a signed body that is neither a decision nor an event webhook", async () => {
    const signed = async (body: object) => {
      const payload = JSON.stringify(body);
      const res = await fetch(url("/webhooks/veriff"), {
        method: "POST",
        body: payload,
        headers: { "X-HMAC-SIGNATURE": veriffSignature(payload, SECRET) },
      });
      return `${res.status} ${res.headers.get("content-type")} ${await res.text()}`;
    };
    for (const body of [{}, { hello: "world" }, [], { verification: null }, { action: 7 }]) {
      expect(await signed(body)).toBe(REJECTED);
    }
    expect(all).toEqual([]);
  });
});
