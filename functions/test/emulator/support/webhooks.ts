import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { FUNCTIONS_DIR } from "./config";

/** Every webhook body the suites send, one per line (see scripts/test/check-logs.mjs). */
const SENT_BODIES = join(FUNCTIONS_DIR, ".emulators", "sent-bodies.txt");

/** POSTs a body to the webhook route, as Passbase does (text/plain unless told otherwise). */
export async function postWebhook(
  base: string,
  body: string | Buffer,
  headers: Record<string, string> = { "Content-Type": "text/plain" },
): Promise<{ status: number; text: string; contentType: string | null }> {
  // Kept for scripts/test/check-logs.mjs, which proves that no body reaches the functions' logs.
  if (body.length > 0) appendFileSync(SENT_BODIES, `${body.toString()}\n`);
  const res = await fetch(`${base}/webhooks`, { method: "POST", body, headers });
  return {
    status: res.status,
    text: await res.text(),
    contentType: res.headers.get("content-type"),
  };
}
