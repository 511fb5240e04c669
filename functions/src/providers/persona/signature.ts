import { createHmac, timingSafeEqual } from "node:crypto";
import { MAX_SIGNATURE_CHECKS } from "../contract";

/** Persona's clock may run ahead of ours by this much; a signature further in the future is refused. */
export const FUTURE_SKEW_SECONDS = 60;

/** What checking a `Persona-Signature` header found; anything but `valid` is refused. */
export type SignatureCheck = "valid" | "malformed" | "mismatch" | "stale" | "future";

interface SignatureSet {
  t: number;
  v1: Buffer[];
}

/**
 * Reads `t=<unix seconds>,v1=<hex>` sets. During a secret rotation Persona sends two sets,
 * separated by whitespace, one per secret; a set that is not well formed is skipped.
 */
export function signatureSets(header: string): SignatureSet[] {
  const sets: SignatureSet[] = [];
  for (const set of header.trim().split(/\s+/)) {
    let t: number | undefined;
    const v1: Buffer[] = [];
    for (const pair of set.split(",")) {
      const at = pair.indexOf("=");
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (name === "t" && /^\d{1,12}$/.test(value)) t = Number(value);
      else if (name === "v1" && /^[0-9a-f]{64}$/i.test(value)) v1.push(Buffer.from(value, "hex"));
    }
    if (t !== undefined && v1.length > 0) sets.push({ t, v1 });
  }
  return sets;
}

/**
 * Persona's signature: HMAC-SHA256 of `<t>.<raw body>` with the webhook secret, hex. Accepted when
 * any set matches in constant time and its `t` is within `toleranceSeconds` of `nowSeconds`
 * (and at most FUTURE_SKEW_SECONDS ahead). Persona has no server library for this.
 */
export function checkSignature(
  body: Buffer,
  header: string,
  secret: string,
  toleranceSeconds: number,
  nowSeconds: number,
): SignatureCheck {
  // Persona sends two sets during a rotation: many more is no rotation, only cost.
  if (header.trim().split(/\s+/).length > MAX_SIGNATURE_CHECKS) return "malformed";
  const sets = signatureSets(header);
  if (sets.length === 0) return "malformed";
  let found: SignatureCheck = "mismatch";
  for (const { t, v1 } of sets) {
    const expected = createHmac("sha256", secret).update(`${t}.`).update(body).digest();
    if (!v1.some((given) => timingSafeEqual(given, expected))) continue;
    if (nowSeconds - t > toleranceSeconds) found = "stale";
    else if (t - nowSeconds > FUTURE_SKEW_SECONDS) found = "future";
    else return "valid";
  }
  return found;
}

/** Signs as Persona does, for the local tools and tests: one set per secret. */
export function signatureHeader(body: string | Buffer, secrets: string[], t: number): string {
  return secrets
    .map((secret) => {
      const v1 = createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
      return `t=${t},v1=${v1}`;
    })
    .join(" ");
}
