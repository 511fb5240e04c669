import { hash } from "node:crypto";
import type { OtherEvent, StatusEvent } from "./event";

/**
 * The audit-trail id of an event, derived from its validated content: Passbase sends no event id,
 * and a repeated delivery must land on the same document so that it adds nothing.
 */
export function eventId(event: StatusEvent | OtherEvent): string {
  const { event: type, key, status, created, updated, processed } = event;
  const canonical = JSON.stringify(
    [type, key, status, created, updated, processed].map((v) => v ?? null),
  );
  return hash("sha256", canonical, "hex");
}
