import request from "supertest";
import { signatureHeader } from "../signature";
import { receiverConfig, recordingApp } from "../../../../test/support/app";
import type { KitSettings } from "../../../../test/support/kits";
import { inquiryEvent } from "./kit";

const SECRET = "wbhsec_route_test_secret";

function setup(persona: Partial<KitSettings> = {}) {
  const { app, log, of } = recordingApp(
    receiverConfig({
      passbase: { webhookSecret: "0123456789abcdef0123456789abcdef" },
      persona: { webhookSecret: SECRET, ...persona },
    }),
  );
  const stored = of("persona");
  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    request(app)
      .post("/webhooks/persona")
      .set({ "Content-Type": "application/json", ...headers })
      .send(body);
  return { app, post, stored, log };
}

const now = () => Math.floor(Date.now() / 1000);
const event = (name = "approved", status = "approved") =>
  JSON.stringify(inquiryEvent("inq_1", name, status, Date.now(), "evt_1"));
const signed = (payload: string, secrets = [SECRET], t = now()) => ({
  "Persona-Signature": signatureHeader(payload, secrets, t),
});

describe("POST /webhooks/persona, in process", () => {
  it("stores a signed inquiry event with PERSONA_COMPLETED_MEANS, answering as for Passbase", async () => {
    const { post, stored, log } = setup({ completedMeans: "approved" });
    const body = event();
    const res = await post(body, signed(body));
    expect([res.status, res.text]).toEqual([200, '{"received":true,"outcome":"applied"}']);
    expect(stored).toMatchObject([
      { id: "inq_1", auditId: "evt_1", state: { fields: { status: "approved" } } },
    ]);
    expect(log.lines).toMatchObject([
      {
        level: "info",
        message: "persona webhook accepted",
        fields: { ref: "inq_1", event: "inquiry.approved", outcome: "applied" },
      },
    ]);
    expect(log.text()).not.toMatch(/Jane|Doe|jane@/);
  });

  it("accepts either set of a rotation's two", async () => {
    const { post, stored } = setup();
    for (const secrets of [
      ["wbhsec_old", SECRET],
      [SECRET, "wbhsec_new"],
    ]) {
      const body = event("approved", "approved");
      const res = await post(body, signed(body, secrets));
      expect(res.status).toBe(200);
    }
    expect(stored.map((s) => s.audit.event)).toEqual(["inquiry.approved", "inquiry.approved"]);
  });

  it("acknowledges an inquiry event it does not act on, storing nothing, its type cut in the log", async () => {
    const { post, stored, log } = setup();
    const body = event(`tags-updated${"-x".repeat(40)}`, "approved");
    const res = await post(body, signed(body));
    expect([res.status, res.text]).toEqual([200, '{"received":true,"outcome":"ignored"}']);
    expect(stored).toEqual([]);
    expect(log.lines).toMatchObject([
      {
        level: "info",
        message: "persona webhook accepted",
        fields: {
          event: `inquiry.tags-updated${"-x".repeat(40)}`.slice(0, 64),
          outcome: "ignored",
        },
      },
    ]);
  });

  it("acknowledges an event about another object, storing nothing", async () => {
    const { post, stored } = setup();
    const body = JSON.stringify({
      data: {
        type: "event",
        id: "evt_2",
        attributes: {
          name: "account.created",
          "created-at": new Date().toISOString(),
          payload: { data: { type: "account", id: "act_1" } },
        },
      },
    });
    const res = await post(body, signed(body));
    expect([res.status, res.text]).toEqual([200, '{"received":true,"outcome":"ignored"}']);
    expect(stored).toEqual([]);
  });

  it.each([
    ["no signature", () => ({}), "no-signature"],
    ["a wrong secret", (body: string) => signed(body, ["wbhsec_wrong"]), "bad-signature"],
    ["a stale signature", (body: string) => signed(body, [SECRET], now() - 601), "stale"],
    [
      "a signature from the future",
      (body: string) => signed(body, [SECRET], now() + 120),
      "future",
    ],
    ["a signature of another body", () => signed(event("declined", "declined")), "bad-signature"],
    [
      "Stripe's header instead",
      (body: string) => ({ "Stripe-Signature": signed(body)["Persona-Signature"] }),
      "no-signature",
    ],
  ])("refuses %s with the one answer for every bad body", async (_name, headers, reason) => {
    const { post, stored, log } = setup();
    const body = event();
    const res = await post(body, headers(body));
    expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    expect(stored).toEqual([]);
    expect(log.lines).toMatchObject([
      { level: "warn", message: "persona webhook rejected", fields: { reason } },
    ]);
  });

  it("refuses a signed body that is not a Persona event, and a compressed one", async () => {
    const { post, stored } = setup();
    for (const body of ["not json", '{"hello":"world"}']) {
      const res = await post(body, signed(body));
      expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    }
    const body = event();
    const res = await post(body, { ...signed(body), "Content-Encoding": "identity" });
    expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    expect(stored).toEqual([]);
  });

  it("refuses a body over 1 MiB before reading it, logged as Persona's", async () => {
    const { post, stored, log } = setup();
    const res = await post(Buffer.alloc(1024 * 1024 + 1, "a"), signed("x"));
    expect([res.status, res.text]).toEqual([400, '{"error":"invalid webhook"}']);
    expect(stored).toEqual([]);
    expect(log.lines).toMatchObject([
      { level: "warn", message: "persona webhook rejected", fields: { reason: "too-large" } },
    ]);
  });

  it("answers 404 until PERSONA_WEBHOOK_SECRET is set, and says why in the logs once", async () => {
    const { post, stored, log } = setup({ webhookSecret: "" });
    const body = event();
    for (let i = 0; i < 3; i++) expect((await post(body, signed(body))).status).toBe(404);
    expect(stored).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "warn",
        message:
          "POST /webhooks/persona answers 404: PERSONA_WEBHOOK_SECRET is not set. Set it to the " +
          "webhook's secret (wbhsec_...) to receive Persona's inquiry events.",
        fields: { outcome: "disabled" },
      },
    ]);
  });

  it.each([
    [{ completedMeans: "yes" }, "PERSONA_COMPLETED_MEANS must be pending or approved"],
    [
      { toleranceSeconds: 0 },
      "PERSONA_SIGNATURE_TOLERANCE_SECONDS must be a whole number of seconds, at least 1",
    ],
  ])("fails closed (500, nothing stored) on a bad setting: %j", async (persona, problem) => {
    const { post, stored, log } = setup(persona);
    const body = event();
    const res = await post(body, signed(body));
    expect([res.status, res.text]).toEqual([500, '{"error":"internal error"}']);
    expect(stored).toEqual([]);
    expect(log.lines).toEqual([
      {
        level: "error",
        message: `POST /webhooks/persona answers 500: ${problem}`,
        fields: { outcome: "misconfigured" },
      },
    ]);
  });

  it("answers 405 to other methods", async () => {
    const { app } = setup();
    const res = await request(app).get("/webhooks/persona");
    expect([res.status, res.get("allow")]).toEqual([405, "POST"]);
  });
});
