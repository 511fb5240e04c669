import vectors from "./openssl-vectors.json";
import {
  decodeEnvelope,
  decryptEnvelope,
  encryptPayload,
  parseWebhookKeys,
  type Envelope,
} from "../crypto";

const key = (text: string) => Buffer.from(text, "utf8");

describe("AES-256-CBC against vectors made by the openssl CLI", () => {
  it.each(vectors)("decrypts: $name", (vector) => {
    const envelope = decodeEnvelope(Buffer.from(vector.body)) as Envelope;
    expect(envelope.iv.toString("hex")).toBe(vector.iv);
    expect(decryptEnvelope(envelope, key(vector.key))?.toString("utf8")).toBe(vector.plaintext);
  });

  it.each(vectors)("encrypts exactly as openssl does: $name", (vector) => {
    expect(encryptPayload(vector.plaintext, key(vector.key), Buffer.from(vector.iv, "hex"))).toBe(
      vector.body,
    );
  });

  it.each(vectors)("reports a wrong key as a padding failure: $name", (vector) => {
    const envelope = decodeEnvelope(Buffer.from(vector.body)) as Envelope;
    expect(decryptEnvelope(envelope, key("ffffffffffffffffffffffffffffffff"))).toBeUndefined();
  });
});

describe("decodeEnvelope", () => {
  const body = vectors[0]?.body ?? "";

  it("tolerates line breaks and surrounding white space, as MIME-style encoders emit", () => {
    const wrapped = `\n${(body.match(/.{1,60}/g) ?? []).join("\r\n")}\n`;
    expect(decodeEnvelope(Buffer.from(wrapped))).toEqual(decodeEnvelope(Buffer.from(body)));
  });

  it.each([
    ["empty", ""],
    ["characters outside base64", `${body.slice(0, -4)}*!?=`],
    ["a missing pad character", body.slice(0, -1)],
    ["JSON", '{"event":"VERIFICATION_COMPLETED"}'],
  ])("refuses %s as bad base64", (_name, text) => {
    expect(decodeEnvelope(Buffer.from(text))).toBe("bad-base64");
  });

  it.each([
    ["only an IV", Buffer.alloc(16)],
    ["an IV and a partial block", Buffer.alloc(16 + 15)],
    ["a ciphertext that is not whole blocks", Buffer.alloc(16 + 33)],
  ])("refuses %s as bad length", (_name, bytes) => {
    expect(decodeEnvelope(Buffer.from(bytes.toString("base64")))).toBe("bad-length");
  });
});

describe("parseWebhookKeys", () => {
  const a = "0123456789abcdef0123456789abcdef";
  const b = "ключключключключ";

  it("reads one key as its UTF-8 bytes", () => {
    expect(parseWebhookKeys(a)).toEqual({ kind: "keys", keys: [key(a)] });
  });

  it("reads several keys, one per line, newest first, ignoring blank lines and CRs", () => {
    expect(parseWebhookKeys(`${a}\r\n\n${b}\n`)).toEqual({ kind: "keys", keys: [key(a), key(b)] });
  });

  it("keeps spaces and any printable character inside a key", () => {
    const spaced = ' key with spaces, #, = and " 32 ';
    expect(parseWebhookKeys(spaced)).toEqual({ kind: "keys", keys: [key(spaced)] });
  });

  it("takes at most 5 keys: each costs a decryption of every forged delivery", () => {
    expect(parseWebhookKeys(Array<string>(5).fill(a).join("\n"))).toMatchObject({ kind: "keys" });
    expect(parseWebhookKeys(Array<string>(6).fill(a).join("\n"))).toEqual({
      kind: "invalid",
      problem: "it holds 6 keys; a rotation needs two, and at most 5 are tried",
    });
  });

  it.each(["", "\n", "\r\n\n"])("treats %j as no secret configured", (secret) => {
    expect(parseWebhookKeys(secret)).toEqual({ kind: "none" });
  });

  it.each([
    ["31 bytes", a.slice(1), "key 1 of 1 is 31 bytes"],
    ["33 bytes", `${a}x`, "key 1 of 1 is 33 bytes"],
    ["32 characters but 33 bytes", `é${a.slice(1)}`, "key 1 of 1 is 33 bytes"],
    ["a bad second key", `${a}\n${a.slice(2)}`, "key 2 of 2 is 30 bytes"],
  ])("refuses %s, saying which key without showing it", (_name, secret, problem) => {
    const parsed = parseWebhookKeys(secret);
    expect(parsed).toEqual({
      kind: "invalid",
      problem: `${problem}; each key must be exactly 32 bytes`,
    });
  });
});
