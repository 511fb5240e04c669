import { functionParam } from "./config";

/** The API stand-in (scripts/dev/api-stand-in.mjs) that scripts/emulators/emulators.mjs runs beside the emulators. */
export const standIn = {
  /** Where .env.demo-passbase points the functions: the one place its port is written down. */
  base: new URL(functionParam("PASSBASE_API_BASE_URL") ?? "http://missing").origin,
  /** Scripts the answers for one identity, in turn, the last one repeating. */
  async program(
    key: string,
    responses: { status: number; body?: unknown; raw?: string; delayMs?: number }[],
  ) {
    const res = await fetch(`${this.base}/__stand-in/identities/${key}`, {
      method: "PUT",
      body: JSON.stringify({ responses }),
    });
    if (!res.ok) throw new Error(`could not program the stand-in: ${res.status}`);
  },
  /** Scripts the answers to erasure calls for one verification, in turn, the last repeating. */
  async programErasure(key: string, responses: { status: number; body?: unknown }[]) {
    const res = await fetch(`${this.base}/__stand-in/erasures/${key}`, {
      method: "PUT",
      body: JSON.stringify({ responses }),
    });
    if (!res.ok) throw new Error(`could not program the stand-in: ${res.status}`);
  },
  /**
   * Scripts the answers to the calls that read one verification's verified values, where those are
   * a call of their own (Stripe's expanded session, Persona's verifications, Sumsub's applicant,
   * Onfido's reports), in turn, the last repeating.
   */
  async programFacts(key: string, responses: { status: number; body?: unknown }[]) {
    const res = await fetch(`${this.base}/__stand-in/facts/${key}`, {
      method: "PUT",
      body: JSON.stringify({ responses }),
    });
    if (!res.ok) throw new Error(`could not program the stand-in: ${res.status}`);
  },
  /** Answers the next `count` API requests (any provider's) `ms` late. */
  async slowNext(ms: number, count = 1) {
    const res = await fetch(`${this.base}/__stand-in/slow`, {
      method: "PUT",
      body: JSON.stringify({ ms, count }),
    });
    if (!res.ok) throw new Error(`could not program the stand-in: ${res.status}`);
  },
  /** The requests the stand-in received for one identity; `at`: when each arrived (ms). */
  async requests(
    key: string,
  ): Promise<{ headers: Record<string, string>; at: number; erase?: true }[]> {
    return (await (await fetch(`${this.base}/__stand-in/requests/${key}`)).json()) as never;
  },
  /** The erasure calls (a redaction, a deletion) the stand-in received for one verification. */
  async erasures(key: string) {
    return (await this.requests(key)).filter((request) => request.erase);
  },
};
