import request from "supertest";
import { receiverConfig, recordingApp } from "../../../../test/support/app";
import { applicantWebhook, newApplicantId, sumsubHeaders } from "./kit";

const SECRET = "sumsub-route-test-secret";

describe("ids Firestore cannot hold, wherever a delivery names them", () => {
  it.each([".", "..", "__x__"])(
    "refuses a signed Sumsub delivery whose correlationId (its audit id) is %s, once, with the one answer",
    async (correlationId) => {
      const { app, all, log } = recordingApp(receiverConfig({ sumsub: { webhookSecret: SECRET } }));
      const payload = JSON.stringify({
        ...applicantWebhook(newApplicantId(), "applicantPending", "pending", Date.now()),
        correlationId,
      });
      const res = await request(app)
        .post("/webhooks/sumsub")
        .set(sumsubHeaders(payload, SECRET))
        .send(payload);
      expect([res.status, res.body]).toEqual([400, { error: "invalid webhook" }]);
      expect(all).toEqual([]);
      expect(log.lines).toMatchObject([{ level: "warn", message: "sumsub webhook rejected" }]);
    },
  );
});
