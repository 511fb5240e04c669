import { persona } from "./provider";
import { parsePersonaEvent, type PersonaDelivery } from "./event";
import { checkSignature } from "./signature";

/**
 * Persona's inquiry events carry the inquiry with its personal data, and included objects:
 * tens of kilobytes at most. Larger bodies are refused before any HMAC.
 */
export const MAX_PERSONA_BODY_BYTES = persona.route.maxBytes;

/** Why a delivery was refused: for the logs only, the sender always gets the same answer. */
export type PersonaRejectReason =
  | "empty"
  | "too-large"
  | "encoded"
  | "no-signature"
  | "bad-signature"
  | "stale"
  | "future"
  | "not-json"
  | "invalid-event";

export type OpenedPersonaDelivery =
  | { ok: true; delivery: Exclude<PersonaDelivery, { kind: "invalid" }> }
  | { ok: false; reason: PersonaRejectReason; issues?: string[] };

/** Authenticates a delivery over its raw body, then validates what it says. */
export function openPersonaDelivery(
  body: Buffer,
  header: string | undefined,
  secret: string,
  toleranceSeconds: number,
  now: () => number = Date.now,
): OpenedPersonaDelivery {
  if (body.length === 0) return { ok: false, reason: "empty" };
  if (body.length > MAX_PERSONA_BODY_BYTES) return { ok: false, reason: "too-large" };
  if (!header) return { ok: false, reason: "no-signature" };
  const check = checkSignature(body, header, secret, toleranceSeconds, Math.floor(now() / 1000));
  if (check !== "valid") {
    return { ok: false, reason: check === "stale" || check === "future" ? check : "bad-signature" };
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, reason: "not-json" };
  }
  const delivery = parsePersonaEvent(json);
  if (delivery.kind === "invalid") {
    return { ok: false, reason: "invalid-event", issues: delivery.issues };
  }
  return { ok: true, delivery };
}
