import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { MAX_SIGNATURE_CHECKS } from "../contract";

/** AES-256 wants a 32-byte key; Passbase uses the webhook secret's bytes as that key. */
export const KEY_BYTES = 32;
const IV_BYTES = 16;
const BLOCK_BYTES = 16;

/** What the configured webhook secret amounts to. `problem` is safe to log: it never holds key material. */
export type WebhookKeys =
  | { kind: "none" }
  | { kind: "keys"; keys: readonly Buffer[] }
  | { kind: "invalid"; problem: string };

/**
 * Reads the webhook secret: one key per line, newest first, so a secret can be rotated without
 * dropping deliveries encrypted with the old key. Blank lines and a trailing CR are ignored; any
 * other character, spaces included, belongs to the key, which must be exactly 32 bytes of UTF-8.
 */
export function parseWebhookKeys(secret: string): WebhookKeys {
  const lines = secret
    .split("\n")
    .map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line))
    .filter((line) => line.length > 0);
  if (lines.length === 0) return { kind: "none" };
  // Each key costs one decryption of every delivery that is not genuine.
  if (lines.length > MAX_SIGNATURE_CHECKS) {
    return {
      kind: "invalid",
      problem: `it holds ${lines.length} keys; a rotation needs two, and at most ${MAX_SIGNATURE_CHECKS} are tried`,
    };
  }
  const keys: Buffer[] = [];
  for (const [index, line] of lines.entries()) {
    const key = Buffer.from(line, "utf8");
    if (key.length !== KEY_BYTES) {
      return {
        kind: "invalid",
        problem: `key ${index + 1} of ${lines.length} is ${key.length} bytes; each key must be exactly ${KEY_BYTES} bytes`,
      };
    }
    keys.push(key);
  }
  return { kind: "keys", keys };
}

/** The parts of an encrypted delivery: base64 of a 16-byte IV followed by AES-256-CBC ciphertext. */
export interface Envelope {
  iv: Buffer;
  ciphertext: Buffer;
}

// Strict alphabet check: Buffer.from(_, "base64") silently skips characters it does not know.
// With the length a multiple of 4 this is canonical padded base64; a linear pattern on purpose
// (a grouped one backtracks, and costs more than the decryption).
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes the base64 envelope; line breaks and surrounding white space are tolerated. */
export function decodeEnvelope(body: Buffer): Envelope | "bad-base64" | "bad-length" {
  const text = body.toString("latin1").replace(/\s+/g, "");
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) return "bad-base64";
  const bytes = Buffer.from(text, "base64");
  const ciphertext = bytes.subarray(IV_BYTES);
  if (ciphertext.length === 0 || ciphertext.length % BLOCK_BYTES !== 0) return "bad-length";
  return { iv: bytes.subarray(0, IV_BYTES), ciphertext };
}

/** Decrypts with one key; `undefined` when the PKCS#7 padding does not check out. */
export function decryptEnvelope(envelope: Envelope, key: Buffer): Buffer | undefined {
  const decipher = createDecipheriv("aes-256-cbc", key, envelope.iv);
  try {
    return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Encrypts a payload as Passbase does. For the test sender and the tests; the receiver never encrypts. */
export function encryptPayload(
  plaintext: string | Buffer,
  key: Buffer,
  iv: Buffer = randomBytes(IV_BYTES),
): string {
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  return Buffer.concat([iv, cipher.update(plaintext), cipher.final()]).toString("base64");
}
