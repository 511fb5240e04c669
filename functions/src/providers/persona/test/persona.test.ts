import fc from "fast-check";
import { createHmac } from "node:crypto";
import { openPersonaDelivery } from "../delivery";
import { parsePersonaEvent } from "../event";
import {
  neutralStatus,
  observeInquiry,
  projectInquiry,
  STATUS_EVENTS,
  type CompletedMeans,
} from "../observe";
import { checkSignature, signatureSets } from "../signature";
import { mergeState, type VerificationState } from "../../../verification/observation";
import vectors from "./persona-vectors.json";
import {
  finalStatus,
  inquiryEvent,
  personaHistory,
  personaHistoryNames,
  type InquiryEvent,
} from "./kit";

const body = Buffer.from(vectors.body);
const check = (header: string, nowSeconds = vectors.t, secret = vectors.secret) =>
  checkSignature(body, header, secret, 600, nowSeconds);

describe("Persona signatures (vectors made by the openssl CLI)", () => {
  it("computes the vector of the provider facts (HMAC-SHA256 of t.body, hex)", () => {
    const factsBody = '{"data":{"type":"event","id":"evt_test"}}';
    const v1 = "f381acff36fdb9683af84439101dfb23b388c9403c343c440c30f8624a7a3f38";
    expect(
      checkSignature(
        Buffer.from(factsBody),
        `t=1700000000,v1=${v1}`,
        vectors.secret,
        600,
        1700000000,
      ),
    ).toBe("valid");
  });

  it("accepts a valid signature, and either set of the two Persona sends while rotating", () => {
    expect(check(vectors.headers.valid)).toBe("valid");
    expect(check(vectors.headers.rotating)).toBe("valid");
    expect(check(vectors.headers.rotating, vectors.t, vectors.old)).toBe("valid");
  });

  it("refuses a header of more than 5 sets before any HMAC, though one of them is valid", () => {
    const decoy = vectors.headers.wrongSecret;
    const sets = (count: number) => [
      ...Array<string>(count - 1).fill(decoy),
      vectors.headers.valid,
    ];
    expect(check(sets(5).join(" "))).toBe("valid");
    expect(check(sets(6).join(" "))).toBe("malformed");
  });

  it("accepts t up to the tolerance old and 60 s ahead, and refuses it beyond", () => {
    expect(check(vectors.headers.valid, vectors.t + 600)).toBe("valid");
    expect(check(vectors.headers.valid, vectors.t + 601)).toBe("stale");
    expect(check(vectors.headers.valid, vectors.t - 60)).toBe("valid");
    expect(check(vectors.headers.valid, vectors.t - 61)).toBe("future");
  });

  it.each([
    ["a wrong secret", vectors.headers.wrongSecret, "mismatch"],
    ["a signature of another body", vectors.headers.otherBody, "mismatch"],
    ["a signature moved to another t", vectors.headers.otherTime, "mismatch"],
    ["a header that is not a signature", "nonsense", "malformed"],
    ["a v1 that is not hex", "t=1700000000,v1=zz", "malformed"],
    ["a set without t", `v1=${"0".repeat(64)}`, "malformed"],
  ])("refuses %s", (_name, header, found) => {
    expect(check(header)).toBe(found);
  });

  it("refuses the right signature under another secret", () => {
    expect(check(vectors.headers.valid, vectors.t, "wbhsec_other")).toBe("mismatch");
  });

  it("reads sets separated by any whitespace, skipping ones that are not well formed", () => {
    const v1 = "ab".repeat(32);
    expect(signatureSets(` t=1,v1=${v1}\tbogus  t=2,x=1,v1=${v1} `).map((s) => s.t)).toEqual([
      1, 2,
    ]);
  });

  it("matches Node's HMAC for any body, secret and time (the header the tools send)", () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.string({ minLength: 1 }), fc.nat(2 ** 31), (b, secret, t) => {
        const v1 = createHmac("sha256", secret).update(`${t}.`).update(b).digest("hex");
        expect(checkSignature(Buffer.from(b), `t=${t},v1=${v1}`, secret, 600, t)).toBe("valid");
      }),
    );
  });
});

describe("opening a Persona delivery", () => {
  const at = (seconds: number) => () => seconds * 1000;
  const open = (header: string | undefined, b = body, now = at(vectors.t)) =>
    openPersonaDelivery(b, header, vectors.secret, 600, now);

  it("reads the inquiry, without its personal data", () => {
    expect(open(vectors.headers.valid)).toEqual({
      ok: true,
      delivery: {
        kind: "inquiry",
        eventId: "evt_test",
        name: "inquiry.approved",
        createdAt: Date.parse("2023-11-14T22:13:20.123Z"),
        inquiry: {
          type: "inquiry",
          id: "inq_test",
          attributes: {
            status: "approved",
            "decisioned-at": Date.parse("2023-11-14T22:13:20.000Z"),
            "redacted-at": null,
          },
          relationships: { "inquiry-template": { data: { id: "itmpl_test" } } },
        },
      },
    });
    expect(JSON.stringify(open(vectors.headers.valid))).not.toMatch(/Jane|Doe|1990|u1/);
  });

  it("names why it refused, for the logs", () => {
    expect(open(undefined)).toEqual({ ok: false, reason: "no-signature" });
    expect(open(vectors.headers.valid, Buffer.alloc(0))).toEqual({ ok: false, reason: "empty" });
    expect(open(vectors.headers.wrongSecret)).toEqual({ ok: false, reason: "bad-signature" });
    expect(open(vectors.headers.valid, body, at(vectors.t + 601))).toEqual({
      ok: false,
      reason: "stale",
    });
    expect(open(vectors.headers.valid, body, at(vectors.t - 61))).toEqual({
      ok: false,
      reason: "future",
    });
    expect(open(vectors.headers.valid, Buffer.alloc(1024 * 1024 + 1))).toEqual({
      ok: false,
      reason: "too-large",
    });
  });
});

describe("reading a Persona event", () => {
  const event = (name: string, data: unknown) => ({
    data: {
      type: "event",
      id: "evt_1",
      attributes: { name, "created-at": "2024-05-01T10:00:00.250Z", payload: { data } },
    },
  });
  const inquiry = { type: "inquiry", id: "inq_1", attributes: { status: "pending" } };

  it("sets aside an event about another object", () => {
    expect(parsePersonaEvent(event("account.created", { type: "account", id: "act_1" }))).toEqual({
      kind: "unrelated",
      eventId: "evt_1",
      name: "account.created",
      createdAt: Date.parse("2024-05-01T10:00:00.250Z"),
    });
  });

  it("reads an inquiry event of a name and a status this version does not know", () => {
    const odd = { ...inquiry, attributes: { status: "on_hold" } };
    expect(parsePersonaEvent(event("inquiry.tags-updated", odd))).toMatchObject({
      kind: "inquiry",
      name: "inquiry.tags-updated",
      createdAt: Date.parse("2024-05-01T10:00:00.250Z"),
      inquiry: { attributes: { status: "on_hold" } },
    });
  });

  it.each([
    ["no event id", { data: { ...event("inquiry.approved", inquiry).data, id: "x" } }],
    ["an inquiry without an inq_ id", event("inquiry.approved", { ...inquiry, id: "Jane" })],
    ["no created-at", { data: { type: "event", id: "evt_1", attributes: { name: "inquiry.x" } } }],
    [
      "a created-at that is no time",
      {
        data: {
          ...event("inquiry.approved", inquiry).data,
          attributes: {
            name: "inquiry.approved",
            "created-at": "Jane",
            payload: { data: inquiry },
          },
        },
      },
    ],
    ["camelCase keys", event("inquiry.approved", { ...inquiry, attributes: { Status: "x" } })],
  ])("refuses %s, naming paths, never values", (_name, json) => {
    const parsed = parsePersonaEvent(json);
    expect(parsed.kind).toBe("invalid");
    expect(JSON.stringify(parsed)).not.toContain("Jane");
  });
});

describe("Persona's status, mapped", () => {
  it.each([
    ["approved", "pending", "approved"],
    ["declined", "pending", "declined"],
    ["failed", "pending", "declined"],
    ["completed", "pending", "pending"],
    ["completed", "approved", "approved"],
    ["created", "pending", "pending"],
    ["pending", "pending", "pending"],
    ["needs_review", "pending", "pending"],
    ["expired", "approved", "expired"],
    ["on_hold", "pending", undefined],
  ] as const)("%s (completed means %s) is %s", (status, means, neutral) => {
    expect(neutralStatus(status, means)).toBe(neutral);
  });

  it("stores of an inquiry only its status, template and decision and redaction times", () => {
    const parsed = parsePersonaEvent(JSON.parse(vectors.body));
    if (parsed.kind !== "inquiry") throw new Error("not an inquiry");
    expect(projectInquiry(parsed.inquiry)).toEqual({
      status: "approved",
      templateId: "itmpl_test",
      decisionedAt: "2023-11-14T22:13:20.000Z",
      redactedAt: null,
    });
  });
});

describe("the merge over Persona's observations", () => {
  const observeEvent = (event: InquiryEvent, means: CompletedMeans = "pending") => {
    const parsed = parsePersonaEvent(event);
    if (parsed.kind !== "inquiry") throw new Error("not an inquiry event");
    return STATUS_EVENTS.has(parsed.name)
      ? observeInquiry(parsed.inquiry, parsed.createdAt, parsed.eventId, means)
      : undefined;
  };
  const fold = (events: readonly InquiryEvent[], means: CompletedMeans = "pending") =>
    events.reduce<VerificationState | undefined>((state, event) => {
      const observation = observeEvent(event, means);
      return observation ? mergeState(state, observation) : state;
    }, undefined);

  it("ends, for any history in any order with repeats, in the status the API then answers", () => {
    const deliveries = fc.constantFrom(...personaHistoryNames).chain((name) => {
      const life = personaHistory("inq_1", name);
      return fc
        .array(fc.constantFrom(...life), { maxLength: 8 })
        .chain((repeats) =>
          fc.shuffledSubarray([...life, ...repeats], {
            minLength: life.length + repeats.length,
          }),
        )
        .map((shuffled) => ({ name, life, shuffled }));
    });
    fc.assert(
      fc.property(deliveries, ({ name, life, shuffled }) => {
        const end = fold(shuffled);
        expect(end).toEqual(fold(life));
        expect(end?.providerStatus).toBe(finalStatus(name));
      }),
      { numRuns: 1000 },
    );
  });

  it("breaks a tie in Persona's clock by phase: a decision over review over done", () => {
    const t = 1_700_000_000_000;
    const at = (name: string, status: string, id: string) =>
      inquiryEvent("inq_1", name, status, t, id);
    const decided = at("approved", "approved", "evt_a");
    const review = at("marked-for-review", "needs_review", "evt_z");
    const done = at("completed", "completed", "evt_y");
    expect(fold([decided, review, done])).toMatchObject({ status: "approved", eventId: "evt_a" });
    expect(fold([done, review])).toMatchObject({ providerStatus: "needs_review" });
    // Then the event id: of two decisions in one millisecond, the same one always wins.
    const declined = at("declined", "declined", "evt_b");
    expect(fold([declined, decided])).toEqual(fold([decided, declined]));
  });

  it("lets a later decline revoke an approval, and completed count as approved when configured", () => {
    const t = 1_700_000_000_000;
    const approved = inquiryEvent("inq_1", "approved", "approved", t);
    const declined = inquiryEvent("inq_1", "declined", "declined", t + 1);
    expect(fold([declined, approved])).toMatchObject({ status: "declined" });
    const completed = inquiryEvent("inq_1", "completed", "completed", t);
    expect(fold([completed])).toMatchObject({ status: "pending" });
    expect(fold([completed], "approved")).toMatchObject({ status: "approved" });
  });

  it("moves no status for a step, a redaction or an unknown name", () => {
    const t = 1_700_000_000_000;
    const names = ["transitioned", "redacted", "reusable-persona-created"];
    expect(fold(names.map((n) => inquiryEvent("inq_1", n, "approved", t)))).toBeUndefined();
  });
});
