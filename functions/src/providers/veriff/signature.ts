import { createHmac, timingSafeEqual } from "node:crypto";
import { MAX_SIGNATURE_CHECKS } from "../contract";

/** Veriff's signature: hex HMAC-SHA256 of the raw body (or, for GET, the session id). */
export const veriffSignature = (payload: string | Buffer, secret: string): string =>
  createHmac("sha256", secret).update(payload).digest("hex");

export type VeriffSignatureCheck =
  { ok: true; secretIndex: number } | { ok: false; reason: "no-signature" | "bad-signature" };

/**
 * Checks `X-HMAC-SIGNATURE` (or its `VRF-` variant) over the raw bytes, in constant time, with
 * each secret of a rotation. Both headers present and different is refused. The signature covers
 * the body alone: no time, no id, so a replay is valid forever and must be harmless (observe.ts).
 */
export function checkVeriffSignature(
  body: Buffer,
  header: (name: string) => string | undefined,
  secrets: readonly string[],
): VeriffSignatureCheck {
  const given = [header("x-hmac-signature"), header("vrf-hmac-signature")].filter(
    (value): value is string => value !== undefined,
  );
  if (given.length === 0) return { ok: false, reason: "no-signature" };
  const [signature] = given;
  if (
    signature === undefined ||
    given.some((other) => other.toLowerCase() !== signature.toLowerCase()) ||
    !/^[0-9a-f]{64}$/i.test(signature) ||
    secrets.length > MAX_SIGNATURE_CHECKS
  ) {
    return { ok: false, reason: "bad-signature" };
  }
  const expected = Buffer.from(signature, "hex");
  for (const [secretIndex, secret] of secrets.entries()) {
    const actual = createHmac("sha256", secret).update(body).digest();
    if (timingSafeEqual(actual, expected)) return { ok: true, secretIndex };
  }
  return { ok: false, reason: "bad-signature" };
}
