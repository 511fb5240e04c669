import { z } from "zod";
import type { Answer, ParamValues, ProviderModule, Recording, Starter } from "../contract";
import { apiFailed } from "../api-request";
import { secretValue, secretValues } from "../params";
import { createSumsubApi, type ApplicantStatus, type SumsubApi } from "./api-client";
import { parseSumsubWebhook, sumsubEventId, type SumsubWebhook } from "./event";
import { canRetry, sumsubState, type SumsubWord } from "./observe";
import type { SumsubParams } from "./params";
import { checkPayloadDigest } from "./signature";

/** The webhook types that say something of the applicant's review, and the word each stands for. */
const WORD_OF_TYPE: Readonly<Record<string, string | undefined>> = {
  applicantCreated: "init",
  applicantPending: "pending",
  applicantPrechecked: "prechecked",
  applicantOnHold: "onHold",
  applicantReviewed: "completed",
  applicantReset: "reset",
  applicantDeactivated: "deactivated",
  applicantDeleted: "deleted",
  applicantPersonalDataDeleted: "deleted",
};

/** Sumsub's word in a webhook: its review status where the type carries one. */
function wordOf(webhook: SumsubWebhook): SumsubWord | undefined {
  const implied = WORD_OF_TYPE[webhook.type];
  if (implied === undefined) return undefined;
  const carried = ["init", "pending", "prechecked", "onHold", "completed"].includes(implied);
  return {
    providerStatus: carried ? (webhook.reviewStatus ?? implied) : implied,
    reviewAnswer: webhook.reviewResult?.reviewAnswer ?? null,
    reviewRejectType: webhook.reviewResult?.reviewRejectType ?? null,
  };
}

/** What Sumsub's word asks the store to record; undefined when it means nothing. */
export function sumsubRecording(
  id: string,
  word: SumsubWord,
  extra: { rejectLabels?: readonly string[] | null; levelName?: string | null },
  atMs: number,
  eventId: string,
  event: string,
): Recording | undefined {
  const observation = sumsubState(word, atMs, eventId);
  if (!observation) return undefined;
  const codes = {
    reviewAnswer: word.reviewAnswer ?? null,
    reviewRejectType: word.reviewRejectType ?? null,
    rejectLabels: extra.rejectLabels ?? null,
  };
  return {
    id,
    auditId: eventId,
    audit: { event, providerStatus: word.providerStatus, ...codes, created: new Date(atMs) },
    state: {
      observation,
      fields: {
        status: observation.status,
        providerStatus: word.providerStatus,
        ...codes,
        levelName: extra.levelName ?? null,
        observedAt: new Date(atMs),
        eventId,
        canRetry: canRetry(word),
      },
    },
  };
}

// A Sumsub applicant's state as stored: its word, and Sumsub's time (ms).
const storedState = z.object({
  providerStatus: z.string(),
  reviewAnswer: z.enum(["GREEN", "RED"]).nullable(),
  reviewRejectType: z.enum(["FINAL", "RETRY"]).nullable(),
  observedAt: z.date(),
  eventId: z.string(),
});

/** The status API's answer: dated when it was asked for (Sumsub's clock is within a minute). */
function statusAnswer(id: string, status: ApplicantStatus, api: SumsubApi): Answer {
  const word: SumsubWord = {
    providerStatus: status.reviewStatus,
    reviewAnswer: status.reviewResult?.reviewAnswer ?? null,
    reviewRejectType: status.reviewResult?.reviewRejectType ?? null,
  };
  const extra = { rejectLabels: status.reviewResult?.rejectLabels, levelName: status.levelName };
  return {
    status: sumsubState(word, 0, "")?.status,
    providerStatus: status.reviewStatus,
    observe: (atMs) =>
      sumsubRecording(id, word, extra, atMs, `api_${atMs}_${status.reviewStatus}`, "status"),
    details: {
      reviewStatus: status.reviewStatus,
      reviewAnswer: word.reviewAnswer ?? null,
      reviewRejectType: word.reviewRejectType ?? null,
      rejectLabels: status.reviewResult?.rejectLabels ?? [],
      levelName: status.levelName ?? null,
      attemptCnt: status.attemptCnt ?? null,
    },
    facts: () => api.getVerifiedValues(id),
  };
}

/**
 * Sumsub: one applicant a user (`externalUserId` is the uid), at the configured level. A second
 * start reuses it, with a fresh Web SDK access token. After the user's erasure Sumsub still holds
 * their deactivated applicant under the uid (it answers 409 and hands it back), so a fresh start
 * names a new applicant `uid-<time>`, kept with the link so that its tokens can be minted again.
 */
export function sumsubStarter(api: SumsubApi, levelName: string, now = Date.now): Starter {
  const withToken = async (id: string, externalUserId: string, keep?: Record<string, string>) => {
    const token = await api.accessToken(externalUserId, levelName);
    return token.ok
      ? { ok: true as const, started: { id, accessToken: token.value.token }, keep }
      : token;
  };
  return {
    unfinished: () => true,
    resume: ({ id, uid, kept }) =>
      withToken(id, typeof kept?.externalUserId === "string" ? kept.externalUserId : uid),
    async create(uid, _idempotencyKey, _before, fresh) {
      const externalUserId = fresh ? `${uid}-${now().toString(36)}` : uid;
      const created = await api.createApplicant(externalUserId, levelName);
      if (!created.ok) return created;
      return withToken(created.value.id, externalUserId, fresh ? { externalUserId } : undefined);
    },
  };
}

/** Review statuses during which Sumsub refuses to deactivate an applicant. */
const REVIEW_IN_PROGRESS = new Set(["pending", "queued", "prechecked"]);

/**
 * Sumsub has no public call that deletes an applicant: deactivation is the most there is, and
 * Sumsub keeps the applicant's data. A refusal while its review is in progress waits.
 */
export async function deactivateApplicant(api: SumsubApi, id: string) {
  const deactivated = await api.deactivate(id);
  if (deactivated.ok) return { ok: true as const, erased: SUMSUB_ERASED };
  if (deactivated.failure !== "rejected") return deactivated;
  const status = await api.getStatus(id);
  if (status.ok && REVIEW_IN_PROGRESS.has(status.value.reviewStatus)) {
    return apiFailed(
      "unavailable",
      deactivated.status,
      "the review is in progress: deactivation waits",
    );
  }
  return deactivated;
}

/** What Sumsub still holds after a deactivation. */
export const SUMSUB_ERASED = {
  outcome: "deactivated",
  stillHeld:
    "the applicant and its documents: Sumsub has no public deletion API; ask Sumsub to delete " +
    "the applicant (your account manager, or privacy@sumsub.com), within your record-keeping duties",
};

/** Sumsub's code, reading its params on each call. */
export function createSumsubModule(params: ParamValues<SumsubParams>): ProviderModule {
  const secrets = () => secretValues(params.webhookSecret);
  const api = () => {
    const appToken = secretValue(params.appToken);
    const secretKey = secretValue(params.secretKey);
    return appToken && secretKey
      ? createSumsubApi({ baseUrl: params.apiBaseUrl.value(), appToken, secretKey })
      : undefined;
  };
  const off = "SUMSUB_APP_TOKEN or SUMSUB_SECRET_KEY is not set";

  return {
    webhook: {
      state: () =>
        secrets().length > 0
          ? { kind: "on" }
          : {
              kind: "off",
              hint: "SUMSUB_WEBHOOK_SECRET is not set. Set it to the webhook's secret key to receive Sumsub's applicant webhooks.",
            },
      open(body, header) {
        if (body.length === 0) return Promise.resolve({ ok: false, reason: "empty" });
        const signed = checkPayloadDigest(body, header, secrets(), params.allowSha1.value());
        if (!signed.ok) return Promise.resolve(signed);
        let json: unknown;
        try {
          json = JSON.parse(body.toString("utf8"));
        } catch {
          return Promise.resolve({ ok: false, reason: "not-json" });
        }
        const parsed = parseSumsubWebhook(json);
        if (!parsed.ok) {
          return Promise.resolve({ ok: false, reason: "invalid-event", issues: parsed.issues });
        }
        const { webhook } = parsed;
        const word = wordOf(webhook);
        const recording =
          word &&
          sumsubRecording(
            webhook.applicantId,
            word,
            { rejectLabels: webhook.reviewResult?.rejectLabels, levelName: webhook.levelName },
            webhook.createdAtMs,
            sumsubEventId(webhook, body),
            webhook.type,
          );
        return Promise.resolve({
          ok: true,
          key: webhook.applicantId,
          event: webhook.type,
          at: webhook.createdAtMs,
          ...(recording ? { recording } : {}),
          ...(signed.secretIndex > 0 ? { secretIndex: signed.secretIndex } : {}),
        });
      },
    },

    readState(fields) {
      const parsed = storedState.safeParse(fields);
      if (!parsed.success) return undefined;
      const { observedAt, eventId, ...word } = parsed.data;
      return sumsubState(word, observedAt.getTime(), eventId);
    },

    api() {
      const client = api();
      if (!client) return Promise.resolve({ off });
      return Promise.resolve({
        async lookup(key) {
          const lookup = await client.getStatus(key);
          return lookup.ok ? { ok: true, answer: statusAnswer(key, lookup.value, client) } : lookup;
        },
      });
    },

    eraser() {
      const client = api();
      if (!client) return Promise.resolve({ off });
      return Promise.resolve({ erase: (key) => deactivateApplicant(client, key) });
    },

    starter() {
      const client = api();
      const levelName = params.levelName.value().trim();
      if (!client || !levelName) {
        return Promise.resolve({ off: `${off}, or SUMSUB_LEVEL_NAME is empty` });
      }
      return Promise.resolve(sumsubStarter(client, levelName));
    },
  };
}
