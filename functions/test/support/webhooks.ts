import { randomUUID } from "node:crypto";
import { encryptPayload } from "../../src/providers/passbase/crypto";

/** A plain webhook payload as Passbase sends it (before encryption). */
export interface Payload {
  event: string;
  key: string;
  status?: string;
  created?: number;
  updated?: number;
  processed?: number;
  [extra: string]: unknown;
}

/** A status event's payload: every field Passbase sends. */
export interface StatusPayload extends Payload {
  status: string;
  created: number;
  updated: number;
  processed: number;
}

/** Passbase's two events for one identity, COMPLETED first in time, as its docs describe them. */
export function lifecycle(
  key: string = randomUUID(),
  decision: "approved" | "declined" = "approved",
): { completed: StatusPayload; reviewed: StatusPayload } {
  const created = 1_700_000_000;
  return {
    completed: {
      event: "VERIFICATION_COMPLETED",
      key,
      status: "pending",
      created,
      updated: created + 60,
      processed: created + 60,
    },
    reviewed: {
      event: "VERIFICATION_REVIEWED",
      key,
      status: decision,
      created,
      updated: created + 3600,
      processed: created + 3600,
    },
  };
}

/** The body Passbase would POST for this payload, encrypted with the given secret. */
export function encryptedBody(payload: Payload | string, secret: string): string {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  return encryptPayload(text, Buffer.from(secret, "utf8"));
}

/** Unix seconds to the milliseconds a Firestore Timestamp reports. */
export const millis = (unixSeconds: number | undefined) => (unixSeconds ?? NaN) * 1000;

/** Flips the lowest bit of one byte of a base64 body (negative offsets count from the end). */
export function flip(body: string, offset: number): string {
  const bytes = Buffer.from(body, "base64");
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
  return bytes.toString("base64");
}
