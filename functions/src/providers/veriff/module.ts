import { z } from "zod";
import type { Answer, ParamValues, ProviderModule, Recording, Starter } from "../contract";
import { apiFailed } from "../api-request";
import { secretValue, secretValues } from "../params";
import { createVeriffApi, type VeriffApi } from "./api-client";
import { parseVeriffWebhook, veriffEventId, type Decision } from "./event";
import { canRetry, neutralStatus, veriffStages, veriffState } from "./observe";
import type { VeriffParams } from "./params";
import { checkVeriffSignature } from "./signature";
import { returnUrlOf } from "../browser-url";
import type { RawFacts } from "../../verification/facts";

/** Veriff sessions last 7 days; after that the user needs a new one. */
export const SESSION_DAYS = 7;

const dateOrNull = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms);

/** What a decision asks the store to record; undefined for a status this version does not know. */
export function decisionRecording(decision: Decision, eventId: string): Recording | undefined {
  const { id, attemptId, status, code, reasonCode, decisionTime } = decision;
  const observation = veriffState(status, decisionTime ?? null, eventId);
  if (!observation) return undefined;
  return {
    id,
    auditId: eventId,
    audit: {
      event: "decision",
      providerStatus: status,
      code: code ?? null,
      reasonCode: reasonCode ?? null,
      decisionTime: dateOrNull(decisionTime),
    },
    state: {
      observation,
      fields: {
        status: observation.status,
        providerStatus: status,
        decisionTime: dateOrNull(decisionTime),
        receivedAt: null,
        attemptId: attemptId ?? null,
        code: code ?? null,
        reasonCode: reasonCode ?? null,
        eventId,
        canRetry: canRetry(status),
      },
    },
  };
}

/** The audit id of a decision, from its content: a replay of the same body is a duplicate. */
export const decisionEventId = (decision: Decision) =>
  veriffEventId([
    "decision",
    decision.id,
    decision.attemptId,
    decision.status,
    decision.code,
    decision.reasonCode,
    decision.decisionTime,
  ]);

/**
 * What an event webhook (progress, no time) asks the store to record: dated when it was received,
 * for the user's record only (the merge's order ignores it), so that a new attempt after a
 * decision shows as one.
 */
export function progressRecording(
  sessionId: string,
  attemptId: string | null,
  action: string,
  code: number,
  receivedAtMs: number,
): Recording | undefined {
  const eventId = veriffEventId(["event", sessionId, attemptId, action, code]);
  const observation = veriffState(action, null, eventId, receivedAtMs);
  if (!observation) return undefined;
  return {
    id: sessionId,
    auditId: eventId,
    audit: { event: action, code },
    state: {
      observation,
      fields: {
        status: observation.status,
        providerStatus: action,
        decisionTime: null,
        receivedAt: new Date(receivedAtMs),
        attemptId,
        code,
        reasonCode: null,
        eventId,
        canRetry: false,
      },
    },
  };
}

// A Veriff session's state as stored: Veriff's word, and the decision's time (null for progress).
const storedState = z.object({
  providerStatus: z.enum(veriffStages as [string, ...string[]]),
  decisionTime: z.date().nullable(),
  receivedAt: z.date().nullish(),
  eventId: z.string(),
});

/** The decision API's answer: a decision at its own time, or nothing yet. */
function decisionAnswer(decision: Decision | null, verified: RawFacts): Answer {
  const recording = (atMs: number) =>
    decision &&
    // A decision without its time is dated when it was asked for.
    decisionRecording(
      { ...decision, decisionTime: decision.decisionTime ?? atMs },
      decisionEventId(decision),
    );
  return {
    status: decision ? neutralStatus(decision.status) : undefined,
    providerStatus: decision?.status ?? "none",
    observe: (atMs) => recording(atMs) ?? undefined,
    details: decision
      ? {
          status: decision.status,
          code: decision.code ?? null,
          reasonCode: decision.reasonCode ?? null,
          decisionTime: dateOrNull(decision.decisionTime)?.toISOString() ?? null,
          attemptId: decision.attemptId ?? null,
        }
      : {},
    // The decision itself holds the person and the document: no other call.
    facts: () => Promise.resolve({ ok: true, raw: verified }),
  };
}

/** Veriff: a session for the caller; open until decided, ended, or 7 days old. */
export function veriffStarter(api: VeriffApi, callbackUrl: string, now = Date.now): Starter {
  return {
    unfinished: ({ providerStatus: status, startedAtMs }) =>
      (status === undefined ||
        status === "created" ||
        status === "started" ||
        status === "submitted" ||
        status === "resubmission_requested") &&
      startedAtMs !== undefined &&
      now() - startedAtMs < SESSION_DAYS * 24 * 3600 * 1000,
    // Veriff has no way to fetch a session's URL again: it was kept when the session was created.
    resume({ id, kept }) {
      const url = kept?.url;
      return Promise.resolve(
        typeof url === "string"
          ? {
              ok: true,
              started: {
                id,
                url,
                sessionToken: typeof kept?.sessionToken === "string" ? kept.sessionToken : null,
              },
            }
          : {
              ok: false,
              failure: "not-found",
              status: null,
              message: "no URL kept for the session",
            },
      );
    },
    async create(uid) {
      const answer = await api.createSession(uid, callbackUrl);
      if (!answer.ok) return answer;
      const { id, url, sessionToken } = answer.session;
      return {
        ok: true,
        started: { id, url, sessionToken },
        keep: { url, ...(sessionToken ? { sessionToken } : {}) },
      };
    },
  };
}

/** Veriff's refusals that end once the session is decided or its deletion finishes. */
const DELETION_WAITS = new Set(["1305", "1306"]);

/**
 * Deletes a session at Veriff: its data is gone within 12 hours. A session still in review (or
 * being deleted) waits (`unavailable`), to be tried again, as does Veriff's hourly limit (429).
 */
export async function deleteSession(api: VeriffApi, id: string) {
  const deleted = await api.deleteSession(id);
  if (deleted.ok) return { ok: true as const, erased: { outcome: "deleted" } };
  // Gone already (the facts: 404 = done), as after a retry whose first answer was lost.
  if (deleted.failure === "not-found") {
    return { ok: true as const, erased: { outcome: "already deleted" } };
  }
  if (deleted.code !== undefined && DELETION_WAITS.has(deleted.code)) {
    return apiFailed("unavailable", deleted.status, deleted.message, deleted.code);
  }
  return deleted;
}

/** Veriff's code, reading its params on each call. */
export function createVeriffModule(
  params: ParamValues<VeriffParams>,
  now: () => number = Date.now,
): ProviderModule {
  const secrets = () => secretValues(params.sharedSecret);
  const api = () => {
    const key = secretValue(params.apiKey);
    const [secret] = secrets();
    const baseUrl = params.apiBaseUrl.value().trim();
    return key && secret && baseUrl
      ? createVeriffApi({ baseUrl, apiKey: key, sharedSecret: secret })
      : undefined;
  };
  const off = "VERIFF_API_KEY, VERIFF_SHARED_SECRET or VERIFF_API_BASE_URL is not set";

  return {
    webhook: {
      state: () =>
        secrets().length > 0
          ? { kind: "on" }
          : {
              kind: "off",
              hint: "VERIFF_SHARED_SECRET is not set. Set it to the integration's shared secret key to receive Veriff's webhooks.",
            },
      open(body, header) {
        if (body.length === 0) return Promise.resolve({ ok: false, reason: "empty" });
        const signed = checkVeriffSignature(body, header, secrets());
        if (!signed.ok) return Promise.resolve(signed);
        let json: unknown;
        try {
          json = JSON.parse(body.toString("utf8"));
        } catch {
          return Promise.resolve({ ok: false, reason: "not-json" });
        }
        const webhook = parseVeriffWebhook(json);
        if (webhook.kind === "invalid") {
          return Promise.resolve({ ok: false, reason: "invalid-event", issues: webhook.issues });
        }
        const secretIndex = signed.secretIndex > 0 ? { secretIndex: signed.secretIndex } : {};
        if (webhook.kind === "event") {
          const { sessionId, attemptId, action, code } = webhook;
          const recording = progressRecording(sessionId, attemptId, action, code, now());
          return Promise.resolve({
            ok: true,
            key: sessionId,
            event: action,
            // Event webhooks state no time.
            at: 0,
            ...(recording ? { recording } : {}),
            ...secretIndex,
          });
        }
        const { decision } = webhook;
        const recording = decisionRecording(decision, decisionEventId(decision));
        return Promise.resolve({
          ok: true,
          key: decision.id,
          event: decision.status,
          at: Math.max(decision.decisionTime ?? 0, decision.acceptanceTime ?? 0),
          ...(recording ? { recording } : {}),
          ...secretIndex,
        });
      },
    },

    readState(fields) {
      const parsed = storedState.safeParse(fields);
      if (!parsed.success) return undefined;
      const { providerStatus, decisionTime, receivedAt, eventId } = parsed.data;
      return veriffState(
        providerStatus,
        decisionTime?.getTime() ?? null,
        eventId,
        receivedAt?.getTime(),
      );
    },

    api() {
      const client = api();
      if (!client) return Promise.resolve({ off });
      return Promise.resolve({
        async lookup(key) {
          const lookup = await client.getDecision(key);
          return lookup.ok
            ? { ok: true, answer: decisionAnswer(lookup.decision, lookup.verified) }
            : lookup;
        },
      });
    },

    eraser() {
      const client = api();
      if (!client) return Promise.resolve({ off });
      return Promise.resolve({ erase: (key) => deleteSession(client, key) });
    },

    starter({ returnUrl }) {
      const client = api();
      if (!client) return Promise.resolve({ off });
      // VERIFF_CALLBACK_URL, where set, is Veriff's own way back; else the deployment's. Checked
      // on each use, as VERIFICATION_RETURN_URL is: a wrong one fails closed.
      const own = returnUrlOf(params.callbackUrl.value(), "VERIFF_CALLBACK_URL");
      if ("problem" in own) return Promise.resolve({ off: own.problem });
      return Promise.resolve(veriffStarter(client, own.url ?? returnUrl ?? ""));
    },
  };
}
