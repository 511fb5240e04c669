import fc from "fast-check";
import { performance } from "node:perf_hooks";
import { encryptPayload } from "../../src/providers/passbase/crypto";
import { MAX_BODY_BYTES } from "../../src/providers/passbase/delivery";
import { encryptedBody, lifecycle } from "../../src/providers/passbase/test/kit";
import { receiverConfig, recordingApp, serveForSuite } from "../support/app";

const SECRET = "0123456789abcdef0123456789abcdef";
const { completed, reviewed } = lifecycle("b76e244e-26a3-49ef-9c72-3e599bf0b5f2");
const valid = encryptedBody(completed, SECRET);
const validBytes = Buffer.from(valid, "base64");

const { app, log, of } = recordingApp(receiverConfig({ passbase: { webhookSecret: SECRET } }));
const received = of("passbase");
const url = serveForSuite(app);

async function post(body: string | Uint8Array, type: string) {
  const res = await fetch(url("/webhooks"), {
    method: "POST",
    body,
    headers: { "Content-Type": type },
  });
  const { date: _date, ...headers } = Object.fromEntries(res.headers);
  return { status: res.status, headers, text: await res.text() };
}

const flipBit = (bytes: Buffer, at: number, bit: number) => {
  const copy = Buffer.from(bytes);
  copy.writeUInt8(copy.readUInt8(at) ^ (1 << bit), at);
  return copy.toString("base64");
};

// Fields of a valid event made invalid, one at a time.
const invalidEvent = fc.oneof(
  fc.constant({ ...reviewed, status: "pending" }),
  fc.integer({ max: -1 }).map((created) => ({ ...completed, created })),
  fc.double({ noInteger: true, noNaN: true }).map((updated) => ({ ...completed, updated })),
  fc.string().map((key) => ({ ...completed, key })),
  fc
    .string()
    .filter((s) => !["pending", "approved", "declined"].includes(s))
    .map((status) => ({ ...completed, status })),
  fc.constantFrom("verification_completed", "", "x y").map((event) => ({ ...completed, event })),
  fc.jsonValue().filter((v) => typeof v !== "object" || v === null || Array.isArray(v)),
);

/** Every kind of bad body the issue names; `label` says which, for a failing counterexample. */
const badBody = fc.oneof(
  fc.uint8Array({ maxLength: 600 }).map((b) => ({ label: "random bytes", body: b })),
  fc.nat({ max: valid.length - 1 }).map((n) => ({ label: "truncated", body: valid.slice(0, n) })),
  // Bytes 0-9 of the IV cover `{"event":"`: flipping them always breaks the event. (Flips further
  // into the IV can rename the event type; see the test below.)
  fc.tuple(fc.nat({ max: 9 }), fc.nat({ max: 7 })).map(([at, bit]) => ({
    label: "bit flip in the IV",
    body: flipBit(validBytes, at, bit),
  })),
  fc
    .tuple(fc.integer({ min: 16, max: validBytes.length - 1 }), fc.nat({ max: 7 }))
    .map(([at, bit]) => ({
      label: "bit flip in the ciphertext",
      body: flipBit(validBytes, at, bit),
    })),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((key) => ({
    label: "wrong key",
    body: encryptPayload(JSON.stringify(completed), Buffer.from(key)),
  })),
  fc
    .string()
    .map((text) => ({ label: "ciphertext of a non-event", body: encryptedBody(text, SECRET) })),
  invalidEvent.map((event) => ({
    label: "ciphertext of an invalid event",
    body: encryptedBody(JSON.stringify(event), SECRET),
  })),
  fc.integer({ min: 1, max: 4096 }).map((extra) => ({
    label: "huge",
    body: "A".repeat(MAX_BODY_BYTES + extra),
  })),
  fc.constant({ label: "empty", body: "" }),
);
const contentType = fc.constantFrom(
  "text/plain",
  "text/plain; charset=utf-8",
  "application/octet-stream",
  "application/json",
  "application/x-www-form-urlencoded",
  "image/png",
  "multipart/form-data; boundary=x",
);

describe("bad input, property-based, in process against the app", () => {
  it("gives 10,000 bad bodies the one identical rejection, storing nothing and never crashing", async () => {
    const reference = await post("", "text/plain");
    expect(reference).toMatchObject({ status: 400, text: '{"error":"invalid webhook"}' });
    await fc.assert(
      fc.asyncProperty(badBody, contentType, async ({ body }, type) => {
        expect(await post(body, type)).toEqual(reference);
      }),
      { numRuns: 10_000 },
    );
    expect(received).toEqual([]);
    expect(log.lines.filter((line) => line.level !== "warn")).toEqual([]);
    expect(log.lines.length).toBeGreaterThanOrEqual(10_000);
  }, 180_000);

  it("acknowledges an IV flip that only renames the event type, and stores nothing", async () => {
    // AES-CBC is malleable: flipping IV bits edits the first plaintext block, here the "VERIFI" of
    // the event name. What comes out is a well-formed event of an unknown type: acknowledged, and
    // nothing is stored, so however many such variants arrive, storage does not grow. Nothing past
    // the first 16 bytes can be edited this way.
    const before = log.lines.length;
    const letters = "ABCDFGHIJKLMNOPQRSTUWXYZ"; // not V or E: "VE" is the genuine one
    for (let i = 0; i < 300; i++) {
      // "VE" → 300 other pairs of capitals: 300 distinct, well-formed event types.
      const variant = Buffer.from(validBytes);
      variant[10] = (variant[10] ?? 0) ^ "V".charCodeAt(0) ^ letters.charCodeAt(i % 24);
      variant[11] = (variant[11] ?? 0) ^ "E".charCodeAt(0) ^ letters.charCodeAt(Math.floor(i / 24));
      const res = await post(variant.toString("base64"), "text/plain");
      expect(res.status).toBe(200);
    }
    expect(received).toEqual([]);
    expect(log.lines.slice(before)).toHaveLength(300);
    expect(
      new Set(
        log.lines.slice(before).map((line) => (line.fields as { outcome?: unknown }).outcome),
      ),
    ).toEqual(new Set(["ignored"]));
  });

  it("does not reveal in its timing whether the padding or the JSON failed", async () => {
    const padding = encryptPayload(
      JSON.stringify(completed),
      Buffer.from("f".repeat(32)),
      Buffer.alloc(16),
    );
    const json = encryptedBody("not json at all, but well padded", SECRET);
    expect(await post(padding, "text/plain")).toEqual(await post(json, "text/plain"));
    const times: Record<"padding" | "json", number[]> = { padding: [], json: [] };
    for (let i = 0; i < 1500; i++) {
      for (const [kind, body] of [
        ["padding", padding],
        ["json", json],
      ] as const) {
        const started = performance.now();
        await post(body, "text/plain");
        times[kind].push(performance.now() - started);
      }
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
    const ratio = median(times.padding) / median(times.json);
    console.log(
      `median time: padding failure ${median(times.padding).toFixed(3)} ms, JSON failure ` +
        `${median(times.json).toFixed(3)} ms, ratio ${ratio.toFixed(3)} (1500 each, interleaved)`,
    );
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  }, 120_000);
});
