import { GOVERNMENT_ID_FIELDS } from "../facts";
import { Timestamp } from "firebase-admin/firestore";
import pLimit from "p-limit";
import { INQUIRY_FIELDS, PERSONA_VERSION } from "../api-client";
import {
  apiInquiry,
  finalStatus,
  inquiryEvent,
  newInquiryId,
  personaHistory,
  personaHistoryNames,
  postPersonaWebhook,
  storedEventIds,
} from "./kit";
import {
  functionParam,
  allPaths,
  writtenSince,
  callFunction,
  connectToEmulators,
  documents,
  eventually,
  localSecret,
  runSchedule,
  signedInUser,
  standIn,
} from "../../../../test/emulator/support";

const ctx = connectToEmulators();
const secret = () => localSecret("PERSONA_WEBHOOK_SECRET");
const send = (event: object, secrets = [secret()], t?: number) =>
  postPersonaWebhook(ctx.base, event, secrets, t);

const { verification, trail, sources, userRecord, claim, claimBecomes, makeDue, statusBecomes } =
  documents(ctx);
const neutral: Record<string, string> = {
  approved: "approved",
  declined: "declined",
  completed: "pending",
};

describe("POST /webhooks/persona on the emulators", () => {
  it.each(personaHistoryNames)(
    "ends where Persona's history %s ends, shuffled, with every event twice",
    async (name) => {
      const id = newInquiryId();
      const events = personaHistory(id, name);
      const shuffled = [...events, ...events].sort(() => Math.random() - 0.5);
      const answers = [];
      for (const event of shuffled) answers.push((await send(event)).status);
      expect(new Set(answers)).toEqual(new Set([200]));

      const doc = await verification(id);
      const status = finalStatus(name);
      expect(doc).toMatchObject({ provider: "persona", providerStatus: status });
      expect(doc.status).toBe(neutral[status]);
      expect(await trail(id)).toEqual(storedEventIds(events));
      const text = JSON.stringify(doc);
      // The birth year as a number of its own: timestamps' digits may hold "1990" by chance.
      expect(text).not.toMatch(/Jane|Doe|\b1990\b|jane@|someone/);
    },
    60_000,
  );

  it("takes the same deliveries concurrently, ordered by Persona's milliseconds", async () => {
    const id = newInquiryId();
    const t = Date.now() - 60_000;
    // A decision 1 ms after completion: only the milliseconds tell them apart.
    const events = [
      inquiryEvent(id, "completed", "completed", t),
      inquiryEvent(id, "declined", "declined", t + 1),
    ];
    const limit = pLimit(4);
    const answers = await Promise.all(
      [...events, ...events, ...events].map((e) => limit(() => send(e))),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(await verification(id)).toMatchObject({
      status: "declined",
      providerStatus: "declined",
      observedAt: Timestamp.fromMillis(t + 1),
    });
    expect(await trail(id)).toHaveLength(2);
  }, 60_000);

  it("marks a redaction without changing the status, and stores nothing of a step or a new event name", async () => {
    const id = newInquiryId();
    const t = Date.now() - 60_000;
    await send(inquiryEvent(id, "approved", "approved", t));
    const answers = [];
    for (const name of ["redacted", "transitioned", "tags-updated"]) {
      answers.push((await send(inquiryEvent(id, name, "approved", t + 10))).text);
    }
    expect(answers).toEqual([
      '{"received":true,"outcome":"recorded"}',
      '{"received":true,"outcome":"ignored"}',
      '{"received":true,"outcome":"ignored"}',
    ]);
    expect(await verification(id)).toMatchObject({ status: "approved", redacted: true });
    expect(await trail(id)).toHaveLength(2);
  }, 60_000);

  it("writes nothing for a bad or stale signature, and acknowledges other objects' events", async () => {
    const before = await allPaths(ctx.db);
    const event = inquiryEvent(newInquiryId(), "approved", "approved", Date.now());
    const refused = { status: 400, text: '{"error":"invalid webhook"}' };
    expect(await send(event, ["wbhsec_not_the_secret"])).toEqual(refused);
    const now = Math.floor(Date.now() / 1000);
    expect(await send(event, [secret()], now - 601)).toEqual(refused);
    expect(await send(event, [secret()], now + 120)).toEqual(refused);
    const other = {
      data: { ...event.data, attributes: { ...event.data.attributes, name: "account.created" } },
    };
    expect(await send(other)).toEqual({
      status: 200,
      text: '{"received":true,"outcome":"ignored"}',
    });
    expect(writtenSince(before, await allPaths(ctx.db))).toEqual([]);
  }, 60_000);

  it("accepts either secret while Persona rotates it", async () => {
    const id = newInquiryId();
    const answer = await send(inquiryEvent(id, "completed", "completed", Date.now()), [
      "wbhsec_the_next_one",
      secret(),
    ]);
    expect(answer.status).toBe(200);
    expect(await verification(id)).toMatchObject({ providerStatus: "completed" });
  }, 60_000);
});

const start = (idToken?: string, data: unknown = { provider: "persona" }) =>
  callFunction("startVerification", data, idToken);
const startedBy = async (user: { idToken: () => Promise<string> }) =>
  (await start(await user.idToken())).body.result as { id: string; sessionToken?: string };
/** The user's record keeps a decision's time in seconds, for every provider. */
const inSeconds = (ms: number) => Timestamp.fromMillis(Math.floor(ms / 1000) * 1000);
type SeenRequest = { headers: Record<string, string>; body?: unknown; url?: string };

describe("startVerification for Persona on the emulators", () => {
  it("creates an inquiry for the signed-in caller, linked before it answers, and resumes it", async () => {
    const user = await signedInUser(ctx.auth);
    const first = await start(await user.idToken());
    expect(first.status).toBe(200);
    const result = first.body.result as { id: string };
    expect(result).toEqual({ id: expect.stringMatching(/^inq_/) as string });
    expect(await verification(result.id)).toMatchObject({
      uid: user.uid,
      linkedBy: "user",
      provider: "persona",
    });
    const [created] = (await standIn.requests(result.id)) as unknown as SeenRequest[];
    expect(created?.body).toEqual({
      data: {
        attributes: {
          "inquiry-template-id": "itmpl_local",
          "redirect-uri": functionParam("VERIFICATION_RETURN_URL"),
        },
      },
      meta: { "auto-create-account-reference-id": user.uid },
    });
    expect(created?.headers).toMatchObject({
      "idempotency-key": `firebase-start-${user.uid}-0`,
      authorization: `Bearer ${localSecret("PERSONA_API_KEY")}`,
      "persona-version": PERSONA_VERSION,
    });

    const again = await start(await user.idToken());
    expect(again.body.result).toEqual({
      id: result.id,
      sessionToken: expect.stringMatching(/^sess_/) as string,
    });
  }, 60_000);

  it("carries Persona's decisions to the user, and a later decline revokes the claim", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await startedBy(user);
    await standIn.program(id, [{ status: 200, body: apiInquiry(id, "approved") }]);
    const t = Date.now() - 120_000;
    for (const event of personaHistory(id, "completed-then-approved", t)) await send(event);
    expect(
      await eventually(
        async () => [await userRecord(user.uid), await claim(user.uid)],
        ([r, c]) => c === true && (r as { status?: string } | undefined)?.status === "approved",
      ),
    ).toEqual([{ key: id, status: "approved", reviewedAt: inSeconds(t + 180_123) }, true]);
    // The details task fetched the inquiry once, with sparse fields and the pinned version.
    const doc = await eventually(
      () => verification(id),
      (d) => d.identity !== undefined,
    );
    expect(doc.identity).toEqual({
      status: "approved",
      templateId: "itmpl_local",
      decisionedAt: "2026-01-02T03:04:05.000Z",
      redactedAt: null,
      eventId: doc.eventId as string,
      fetchedAt: expect.any(Timestamp) as Timestamp,
    });
    const fetched = ((await standIn.requests(id)) as unknown as SeenRequest[]).filter((r) =>
      r.url?.startsWith(`/api/v1/inquiries/${id}?`),
    );
    // The lookup, with only the inquiry's fields stored; then the approval's facts, with only the
    // government-ID verification's attributes they come from.
    const factsQuery = new URLSearchParams({
      include: "verifications",
      "fields[inquiry]": "status",
      "fields[verification/government-id]": GOVERNMENT_ID_FIELDS,
    });
    expect(fetched.map((r) => [r.url, r.headers["persona-version"]])).toEqual([
      [
        `/api/v1/inquiries/${id}?${new URLSearchParams({ "fields[inquiry]": INQUIRY_FIELDS }).toString()}`,
        PERSONA_VERSION,
      ],
      [`/api/v1/inquiries/${id}?${factsQuery.toString()}`, PERSONA_VERSION],
    ]);

    // A member declines it by hand afterwards.
    await standIn.program(id, [{ status: 200, body: apiInquiry(id, "declined") }]);
    await send(inquiryEvent(id, "declined", "declined", t + 600_000));
    expect(
      await eventually(
        async () => [await userRecord(user.uid), await claim(user.uid)],
        ([r, c]) => c === false && (r as { status?: string } | undefined)?.status === "declined",
      ),
    ).toEqual([{ key: id, status: "declined", reviewedAt: inSeconds(t + 600_000) }, false]);
  }, 60_000);

  it("heals a lost webhook within one task run: the API's answer wins when it says more", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await startedBy(user);
    // The failure is reviewed and approved by hand; that webhook is lost (say, refused as stale).
    await standIn.program(id, [{ status: 200, body: apiInquiry(id, "approved") }]);
    await send(inquiryEvent(id, "failed", "failed", Date.now() - 60_000));

    const doc = await eventually(
      () => verification(id),
      (d) => d.status === "approved" && d.identity !== undefined,
    );
    expect(doc).toMatchObject({ providerStatus: "approved", identity: { status: "approved" } });
    expect(await sources(id)).toEqual(["reconciliation", "webhook"]);
    await claimBecomes(user.uid, true);
  }, 60_000);

  it("reconciles an inquiry whose decision never arrived", async () => {
    const user = await signedInUser(ctx.auth);
    const { id } = await startedBy(user);
    await send(inquiryEvent(id, "completed", "completed", Date.now() - 3_600_000));
    await standIn.program(id, [{ status: 200, body: apiInquiry(id, "declined") }]);
    await makeDue(id);

    expect(await runSchedule("reconcileVerifications")).toBe(200);

    expect(await statusBecomes(id, "declined")).toBe("declined");
  }, 60_000);
});
