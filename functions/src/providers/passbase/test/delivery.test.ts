import { deliveryMode, MAX_BODY_BYTES, openDelivery } from "../delivery";
import { encryptPayload } from "../crypto";
import { encryptedBody, lifecycle } from "./kit";

const NEW = "0123456789abcdef0123456789abcdef";
const OLD = "fedcba9876543210fedcba9876543210";
const keys = (...secrets: string[]) => secrets.map((s) => Buffer.from(s, "utf8"));
const { completed } = lifecycle("b76e244e-26a3-49ef-9c72-3e599bf0b5f2");
const body = (text: string) => Buffer.from(text, "utf8");

describe("openDelivery, encrypted", () => {
  const mode = { kind: "encrypted", keys: keys(NEW) } as const;

  it("opens a delivery encrypted as Passbase does", () => {
    expect(openDelivery(body(encryptedBody(completed, NEW)), mode)).toEqual({
      ok: true,
      accepted: { kind: "status", event: completed },
      keyIndex: 0,
    });
  });

  it.each([
    ["empty", "", "empty"],
    ["bad base64", "%%%%", "bad-base64"],
    ["plaintext JSON", JSON.stringify(completed), "plaintext-while-encrypted"],
    ["a ciphertext that is not whole blocks", Buffer.alloc(40).toString("base64"), "bad-length"],
    // A fixed IV: with a random one, a wrong key yields valid padding once in ~256 runs.
    [
      "the wrong key",
      encryptPayload(JSON.stringify(completed), Buffer.from(OLD), Buffer.alloc(16)),
      "bad-padding",
    ],
    ["a ciphertext of something that is not JSON", encryptedBody("not json", NEW), "not-json"],
    [
      "a ciphertext of invalid UTF-8",
      encryptPayload(Buffer.from([0x7b, 0xff, 0x7d]), Buffer.from(NEW)),
      "not-json",
    ],
    [
      "a ciphertext of an invalid event",
      encryptedBody({ ...completed, status: "x" }, NEW),
      "invalid-event",
    ],
    ["the docs' sample with its trailing comma", encryptedBody('{"event": "x",}', NEW), "not-json"],
  ])("refuses %s", (_name, text, reason) => {
    expect(openDelivery(body(text), mode)).toMatchObject({ ok: false, reason });
  });

  it("refuses a body over the limit before decrypting it", () => {
    const huge = Buffer.alloc(MAX_BODY_BYTES + 1, "A");
    expect(openDelivery(huge, mode)).toEqual({ ok: false, reason: "too-large" });
  });

  it("accepts deliveries under any key of a rotation, and says which key opened them", () => {
    const rotating = { kind: "encrypted", keys: keys(NEW, OLD) } as const;
    expect(openDelivery(body(encryptedBody(completed, OLD)), rotating)).toMatchObject({
      ok: true,
      keyIndex: 1,
    });
    expect(openDelivery(body(encryptedBody(completed, NEW)), rotating)).toMatchObject({
      ok: true,
      keyIndex: 0,
    });
  });

  it("with several keys, reports the failure that got furthest", () => {
    const rotating = { kind: "encrypted", keys: keys(NEW, OLD) } as const;
    const invalid = encryptedBody({ ...completed, key: "x" }, OLD);
    expect(openDelivery(body(invalid), rotating)).toMatchObject({
      ok: false,
      reason: "invalid-event",
    });
  });
});

describe("openDelivery, plaintext trials", () => {
  const mode = { kind: "plaintext" } as const;

  it("reads JSON as it is", () => {
    expect(openDelivery(body(JSON.stringify(completed)), mode)).toEqual({
      ok: true,
      accepted: { kind: "status", event: completed },
      keyIndex: undefined,
    });
  });

  it("still validates", () => {
    expect(openDelivery(body("{}"), mode)).toMatchObject({ ok: false, reason: "invalid-event" });
    expect(openDelivery(body(encryptedBody(completed, NEW)), mode)).toMatchObject({
      ok: false,
      reason: "not-json",
    });
  });
});

describe("deliveryMode fails closed", () => {
  it("uses the keys when a secret is set, whatever the plaintext opt-in says", () => {
    expect(deliveryMode(NEW, true)).toEqual({ kind: "encrypted", keys: keys(NEW) });
    expect(deliveryMode(NEW, false)).toEqual({ kind: "encrypted", keys: keys(NEW) });
  });

  it("reads plaintext only with no secret and the explicit opt-in", () => {
    expect(deliveryMode("", true)).toEqual({ kind: "plaintext" });
  });

  it("treats no secret without the opt-in as a configuration error", () => {
    expect(deliveryMode("", false)).toMatchObject({ kind: "misconfigured" });
  });

  it("treats a malformed secret as a configuration error even with the opt-in", () => {
    expect(deliveryMode("too short", true)).toEqual({
      kind: "misconfigured",
      problem: "key 1 of 1 is 9 bytes; each key must be exactly 32 bytes",
    });
  });
});
