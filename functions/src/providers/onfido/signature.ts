import { MAX_SIGNATURE_CHECKS } from "../contract";

/** What the official verifier is asked for: its class and its error, from its CommonJS build. */
export interface OnfidoVerifierPackage {
  WebhookEventVerifier: new (token: string) => {
    readPayload(body: string | Buffer, hexSignature: string): unknown;
  };
  OnfidoInvalidSignatureError: new (...args: never[]) => Error;
}

export type OnfidoVerified =
  | { ok: true; json: unknown; secretIndex: number }
  | { ok: false; reason: "no-signature" | "bad-signature" | "not-json" };

/**
 * Verifies `X-SHA2-Signature` with the library's `WebhookEventVerifier`, token by token. Its
 * quirks are handled here: the header's shape (64 hex digits) is checked first, since the
 * verifier throws RangeError or TypeError on other shapes and accepts a valid signature followed
 * by anything that is not hex; and every throw is caught, so that nothing becomes a 500.
 */
export function verifyOnfido(
  body: Buffer,
  signature: string | undefined,
  tokens: readonly string[],
  library: OnfidoVerifierPackage,
): OnfidoVerified {
  if (signature === undefined) return { ok: false, reason: "no-signature" };
  if (!/^[0-9a-f]{64}$/i.test(signature) || tokens.length > MAX_SIGNATURE_CHECKS) {
    return { ok: false, reason: "bad-signature" };
  }
  for (const [secretIndex, token] of tokens.entries()) {
    try {
      const json = new library.WebhookEventVerifier(token).readPayload(body, signature);
      return { ok: true, json, secretIndex };
    } catch (error) {
      if (error instanceof library.OnfidoInvalidSignatureError) continue;
      // Verified, then JSON.parse failed: the signature was right, the body is not JSON.
      if (error instanceof SyntaxError) return { ok: false, reason: "not-json" };
      return { ok: false, reason: "bad-signature" };
    }
  }
  return { ok: false, reason: "bad-signature" };
}
