import type { SecretParam } from "firebase-functions/params";
import type { ApiFailed } from "./api-request";
import type { RawFacts } from "../verification/facts";
import type { VerificationState, VerificationStatus } from "../verification/observation";

/**
 * What a provider asks the store to record for one delivery or one API answer: the audit entry,
 * and what it says about the verification's state. Times are `Date`s, which Firestore stores as
 * timestamps; nothing here is personal data.
 */
export interface Recording {
  /** The verification's document id. */
  id: string;
  /** The audit entry's id (`events/{auditId}`): the delivery's idempotency key. */
  auditId: string;
  audit: Record<string, unknown>;
  /** What it says about the state, and the fields that hold it if it wins the merge. */
  state?: { observation: VerificationState; fields: Record<string, unknown> };
  /** Fields set whether or not the state moves (a redaction, say). */
  marks?: Record<string, unknown>;
}

/** A delivery read by a provider's protocol: authenticated and understood, or refused and why. */
export type Received =
  | {
      ok: true;
      /** The object it is about, for the logs (only a prefix is logged). */
      key: string;
      /** The provider's name for the event. */
      event: string;
      /**
       * The latest time the provider states in it (unix ms). More than PROVIDER_CLOCK_AHEAD_MS
       * ahead of ours, the delivery is refused, whichever provider sent it.
       */
      at: number;
      /** What to store; none for an event about another object of the account (acknowledged). */
      recording?: Recording;
      /** Which of a rotation's secrets authenticated it (0: the newest), where there are several. */
      secretIndex?: number;
    }
  | { ok: false; reason: string; issues?: string[] };

/**
 * How far a provider's clock may run ahead of ours. Every merge prefers the provider's later time,
 * so one genuine but misdated event (9999, say) would otherwise win over every later one for good.
 */
export const PROVIDER_CLOCK_AHEAD_MS = 60 * 60 * 1000;

/** Whether a time a provider states is further ahead of `nowMs` than any clock may run. */
export const aheadOfEveryClock = (atMs: number, nowMs: number) =>
  atMs > nowMs + PROVIDER_CLOCK_AHEAD_MS;

/**
 * The most signatures (or secrets) a route checks per request: a rotation needs two. A delivery
 * naming more is refused before any HMAC, so that an unauthenticated request costs at most this
 * many checks of one body.
 */
export const MAX_SIGNATURE_CHECKS = 5;

/** A route's configuration, read on each request: off (404) until its secret is set; 500 if wrong. */
export type RouteState =
  { kind: "on" } | { kind: "off"; hint: string } | { kind: "misconfigured"; problem: string };

/** One answer of the provider's API about a verification. */
export interface Answer {
  /** The neutral status it says, and the provider's word; undefined: nothing this version knows. */
  status: VerificationStatus | undefined;
  providerStatus: string;
  /**
   * The answer as an observation at `atMs`, for the merge: the time the request was sent, so that
   * a webhook about a change made while it was in flight wins. A provider whose answer carries
   * its own time for the state may use that instead.
   */
  observe(atMs: number): Recording | undefined;
  /** What is stored with a decision: a minimised projection, never personal data. */
  details: Record<string, unknown>;
  /** The app's user id named by the provider's metadata: only a hint, linked with care. */
  metadataUid?: string;
  /**
   * Reads the verified values the facts are derived from, for an approved verification: from
   * this answer, or with another call. Only from the provider's verified objects, never from
   * what the user or the app supplied. Absent: this provider yields no facts.
   */
  facts?(): Promise<FactsRead>;
}

/**
 * The verified values, in memory only; or what the provider withholds from this deployment's key
 * (a permission it lacks: said once in the logs, the decision stands); or the call's failure.
 */
export type FactsRead = { ok: true; raw: RawFacts } | { ok: false; withheld: string } | ApiFailed;

/** The provider's API for one invocation, with its key. */
export interface ProviderApi {
  lookup(key: string): Promise<{ ok: true; answer: Answer } | ApiFailed>;
}

/** What the app needs to open the provider's flow for a verification it started. */
export type Started = { id: string } & Record<string, string | null>;

/** A verification the caller started before, as its link holds it. */
export interface StartedBefore {
  id: string;
  /** The user it is linked to: the caller. */
  uid: string;
  /** The provider's last word on it (undefined before any webhook). */
  providerStatus: unknown;
  /** When it was linked to the caller (ms). */
  startedAtMs: number | undefined;
  /** What `create` asked to keep for resuming it. */
  kept: Readonly<Record<string, unknown>> | undefined;
}

/** What the deployment asks of every verification it starts. */
export interface StartOptions {
  /**
   * Where the provider's page sends the user back when its flow ends (VERIFICATION_RETURN_URL,
   * checked): passed to each provider that has such a field. The app reads the outcome from
   * Firestore there, never from the redirect's query.
   */
  returnUrl: string | undefined;
}

/** A provider's side of `startVerification`, with the API of this invocation. */
export interface Starter {
  /** Whether the user can still finish a verification they started before. */
  unfinished(before: StartedBefore): boolean;
  resume(before: StartedBefore): Promise<{ ok: true; started: Started } | ApiFailed>;
  /**
   * Creates one for `uid`. A provider with idempotency keys makes a repeated call get the same
   * one back; `startVerification` also lets one call at a time start one for a user. `keep`: what
   * resuming it needs that the provider's API cannot give again (stored with the link, for its
   * user only).
   */
  create(
    uid: string,
    idempotencyKey: string,
    /** The caller's verifications at this provider so far: what they kept can be reused. */
    before: readonly StartedBefore[],
    /**
     * The provider's answer for this user named a verification erased at their request: make one
     * that is not it (the idempotency key is fresh too; a provider that keys its user by the uid
     * must name them anew).
     */
    fresh?: boolean,
  ): Promise<{ ok: true; started: Started; keep?: Record<string, string> } | ApiFailed>;
}

/** What a provider did with a request to erase one verification's data. */
export interface Erased {
  /** Its word for what it did ("redaction processing", "deleted"); "none" without a call. */
  outcome: string;
  /** What it still holds afterwards, for the operator to erase by hand; absent: nothing. */
  stillHeld?: string;
}

/** A provider's side of erasure (a user deleted, or asking), with the API of this invocation. */
export interface Eraser {
  /**
   * Asks the provider to erase one verification's data. `kept`: what its start kept (an
   * applicant's id, say). What must wait (the verification is being reviewed) fails as
   * `unavailable`, and is tried again later. A 404 is what the provider's facts say it is: done
   * (`already deleted`) where a deletion leaves nothing to find, else `not-found`, which is final.
   */
  erase(
    key: string,
    kept: Readonly<Record<string, unknown>> | undefined,
  ): Promise<{ ok: true; erased: Erased } | ApiFailed>;
}

/** The provider's code, loaded on its first use; it reads its params on each call. */
export interface ProviderModule {
  webhook: {
    state(): RouteState;
    /** Authenticates and reads a delivery's raw body; never throws for what the sender sent. */
    open(body: Buffer, header: (name: string) => string | undefined): Promise<Received>;
  };
  /** Reads the merge state back from a stored verification (its timestamps as `Date`s). */
  readState(fields: Record<string, unknown>): VerificationState | undefined;
  /** The API for this invocation, or why it is off (its key is not set). */
  api(): Promise<ProviderApi | { off: string }>;
  /**
   * Erases verifications' data at the provider, or why it cannot now (its key is not set). A
   * provider without an erasure call answers without calling, saying what it still holds.
   */
  eraser(): Promise<Eraser | { off: string }>;
  /** Starts verifications for users (`startVerification`), or why it cannot now. */
  starter?(options: StartOptions): Promise<Starter | { off: string }>;
  /** The verification a user links (`linkVerification`): the key its client SDK handed the app. */
  linkKey?(value: unknown): string | undefined;
}

/**
 * What a provider's code reads of its params: their values, on each call. The deployed functions
 * pass the params themselves; the in-process tests pass plain values.
 */
export type ParamValues<P> = {
  [K in keyof P]: P[K] extends { value(): infer V } ? { value(): V } : never;
};

/** A provider chosen by the deployment: its params are defined, its code loads on first use. */
export interface ChosenProvider {
  /** The secrets `widgets` binds: the webhook's. */
  webhookSecrets: SecretParam[];
  /** The secrets of its API: `startVerification`, the check queue and reconciliation bind them. */
  apiSecrets: SecretParam[];
  /** Whether its API key is set, without loading its code. */
  apiConfigured(): boolean;
  load(): Promise<ProviderModule>;
}

/**
 * A provider's lifecycle: its stages, in groups, each group's stages able to follow only those of
 * earlier groups. Among observations at the same provider time, the one at the later stage wins;
 * within a group, where neither can follow the other, the more conservative status does.
 */
export type Lifecycle = readonly (readonly string[])[];

/** A stage's group in its lifecycle: later stages rank higher; a stage it does not name, -1. */
export const stageRank = (lifecycle: Lifecycle, stage: string): number =>
  lifecycle.findIndex((group) => group.includes(stage));

/** On a true tie (same time, same group), the status that shows the least wins. */
export const conservativeRank: Readonly<Record<VerificationStatus, number>> = {
  approved: 0,
  pending: 1,
  declined: 2,
  expired: 3,
};

/**
 * A provider: one folder under providers/, one descriptor. The descriptor is all that loads with
 * the functions; `choose()` defines its params (so that a deploy asks only for the chosen
 * providers'), and its code loads when a function first calls it.
 */
export interface Provider {
  /** Its id: in VERIFICATION_PROVIDERS, on stored verifications (`provider`), in tasks. */
  readonly id: string;
  /** Its name, for people: errors and logs. */
  readonly name: string;
  /** Its webhook route, beside the others in `widgets`, and the largest body it takes. */
  readonly route: { path: string; maxBytes: number };
  /** How its webhook log lines begin ("stripe webhook accepted"). */
  readonly logLabel: string;
  /** How verifications reach their user: started for them by us, or linked by them. */
  readonly linking: "started" | "user";
  /** Its stages, as its observations are ordered on a tie in its clock. */
  readonly lifecycle: Lifecycle;
  /** Verifications stored without `provider` are this one's (it came before there was another). */
  readonly ownsUnlabelled?: true;
  /** Defines its params and secrets; called once, when the deployment chooses it. */
  choose(): ChosenProvider;
}
