import { createHmac, timingSafeEqual } from "node:crypto";
import { MAX_SIGNATURE_CHECKS } from "../contract";

/** The digests Sumsub names in X-Payload-Digest-Alg, and their hex lengths. */
const ALGORITHMS = {
  HMAC_SHA256_HEX: { hash: "sha256", hexLength: 64 },
  HMAC_SHA512_HEX: { hash: "sha512", hexLength: 128 },
  HMAC_SHA1_HEX: { hash: "sha1", hexLength: 40 },
} as const;
export type DigestAlgorithm = keyof typeof ALGORITHMS;

/** Sumsub's webhook digest: hex HMAC of the raw body with the webhook's secret. */
export const payloadDigest = (
  body: string | Buffer,
  secret: string,
  algorithm: DigestAlgorithm = "HMAC_SHA256_HEX",
) => createHmac(ALGORITHMS[algorithm].hash, secret).update(body).digest("hex");

export type DigestCheck =
  { ok: true; secretIndex: number } | { ok: false; reason: "no-signature" | "bad-signature" };

/**
 * Checks `X-Payload-Digest` over the raw bytes with the algorithm `X-Payload-Digest-Alg` names:
 * SHA256 or SHA512, SHA1 only when allowed; a missing or unknown algorithm is refused. Each
 * secret of a rotation is tried, in constant time. No time is signed: replays must be harmless.
 */
export function checkPayloadDigest(
  body: Buffer,
  header: (name: string) => string | undefined,
  secrets: readonly string[],
  allowSha1: boolean,
): DigestCheck {
  const digest = header("x-payload-digest");
  const name = header("x-payload-digest-alg");
  if (digest === undefined) return { ok: false, reason: "no-signature" };
  const algorithm = Object.hasOwn(ALGORITHMS, name ?? "")
    ? ALGORITHMS[name as DigestAlgorithm]
    : undefined;
  if (
    !algorithm ||
    (algorithm.hash === "sha1" && !allowSha1) ||
    digest.length !== algorithm.hexLength ||
    !/^[0-9a-f]+$/i.test(digest) ||
    secrets.length > MAX_SIGNATURE_CHECKS
  ) {
    return { ok: false, reason: "bad-signature" };
  }
  const expected = Buffer.from(digest, "hex");
  for (const [secretIndex, secret] of secrets.entries()) {
    const actual = createHmac(algorithm.hash, secret).update(body).digest();
    if (timingSafeEqual(actual, expected)) return { ok: true, secretIndex };
  }
  return { ok: false, reason: "bad-signature" };
}

/**
 * Signs an API request as Sumsub requires: hex HMAC-SHA256 of `ts + METHOD + path with query +
 * body` with the App Token's secret key, `ts` in unix seconds.
 */
export const requestSignature = (
  secretKey: string,
  ts: number,
  method: string,
  pathWithQuery: string,
  body = "",
) =>
  createHmac("sha256", secretKey)
    .update(`${ts}${method.toUpperCase()}${pathWithQuery}${body}`)
    .digest("hex");
