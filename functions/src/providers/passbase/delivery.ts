import { passbase } from "./provider";
import { decodeEnvelope, decryptEnvelope, parseWebhookKeys } from "./crypto";
import { parseWebhookEvent, type AcceptedEvent } from "./event";

/** Deliveries larger than this are refused before any decryption; real events are ~200 bytes. */
export const MAX_BODY_BYTES = passbase.route.maxBytes;

/**
 * Why a delivery was refused, from the earliest stage to the latest. For the logs only: the
 * sender always gets one and the same answer, because AES-CBC has no MAC and telling these
 * apart would make the receiver a padding oracle.
 */
export type RejectReason =
  | "empty"
  | "too-large"
  | "unreadable"
  | "encoded"
  | "plaintext-while-encrypted"
  | "bad-base64"
  | "bad-length"
  | "bad-padding"
  | "not-json"
  | "invalid-event";

const stage: Record<RejectReason, number> = {
  empty: 0,
  "too-large": 0,
  unreadable: 0,
  encoded: 0,
  "plaintext-while-encrypted": 1,
  "bad-base64": 1,
  "bad-length": 2,
  "bad-padding": 3,
  "not-json": 4,
  "invalid-event": 5,
};

/** How deliveries are read: decrypted with one of the keys (newest first), or plaintext for trials. */
export type DeliveryMode = { kind: "encrypted"; keys: readonly Buffer[] } | { kind: "plaintext" };

export type OpenedDelivery =
  | { ok: true; accepted: AcceptedEvent; keyIndex: number | undefined }
  | { ok: false; reason: RejectReason; issues?: string[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });

function parsePlaintext(bytes: Buffer, keyIndex: number | undefined): OpenedDelivery {
  let json: unknown;
  try {
    json = JSON.parse(utf8.decode(bytes));
  } catch {
    return { ok: false, reason: "not-json" };
  }
  const parsed = parseWebhookEvent(json);
  if (parsed.kind === "invalid")
    return { ok: false, reason: "invalid-event", issues: parsed.issues };
  return { ok: true, accepted: parsed, keyIndex };
}

/**
 * Turns the raw bytes of a delivery into a validated event. With several keys, the first under
 * which the body decrypts to a valid event wins; otherwise the reason that got furthest is kept.
 */
export function openDelivery(body: Buffer, mode: DeliveryMode): OpenedDelivery {
  if (body.length === 0) return { ok: false, reason: "empty" };
  if (body.length > MAX_BODY_BYTES) return { ok: false, reason: "too-large" };
  if (mode.kind === "plaintext") return parsePlaintext(body, undefined);

  const envelope = decodeEnvelope(body);
  if (typeof envelope === "string") {
    const looksLikeJson = body.toString("latin1").trimStart().startsWith("{");
    return { ok: false, reason: looksLikeJson ? "plaintext-while-encrypted" : envelope };
  }
  let furthest: OpenedDelivery & { ok: false } = { ok: false, reason: "bad-padding" };
  for (const [keyIndex, key] of mode.keys.entries()) {
    const plaintext = decryptEnvelope(envelope, key);
    const opened: OpenedDelivery = plaintext
      ? parsePlaintext(plaintext, keyIndex)
      : { ok: false, reason: "bad-padding" };
    if (opened.ok) return opened;
    if (stage[opened.reason] > stage[furthest.reason]) furthest = opened;
  }
  return furthest;
}

/**
 * Decides how deliveries are read from the configuration, failing closed: a malformed secret, or
 * none without the explicit plaintext opt-in, is a configuration error and never plaintext.
 */
export function deliveryMode(
  secret: string,
  allowUnencrypted: boolean,
): DeliveryMode | { kind: "misconfigured"; problem: string } {
  const keys = parseWebhookKeys(secret);
  switch (keys.kind) {
    case "keys":
      return { kind: "encrypted", keys: keys.keys };
    case "invalid":
      return { kind: "misconfigured", problem: keys.problem };
    case "none":
      return allowUnencrypted
        ? { kind: "plaintext" }
        : {
            kind: "misconfigured",
            problem:
              "it is empty; set it with `firebase functions:secrets:set PASSBASE_WEBHOOK_SECRET` " +
              "(or opt in to plaintext trials with PASSBASE_ALLOW_UNENCRYPTED=true)",
          };
  }
}
