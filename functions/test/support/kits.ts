import type { ProviderModule } from "../../src/providers/contract";
import type { Facts } from "../../src/verification/facts";
import { PROVIDERS } from "../../src/providers/registry";

/** A delivery as a provider sends it: where, what, and with which headers. */
export interface Sent {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * A provider's settings in process, read on each call instead of the runtime's params: its webhook
 * secret ("" : its route is off) and whatever else its route reads.
 */
export type KitSettings = { webhookSecret: string } & Record<string, unknown>;

/**
 * What a provider's folder gives the suites every provider must pass (`test/kit.ts`, exporting
 * `kit`): its real code configured in process, a new verification id, and deliveries about it
 * signed (or encrypted) with the right secret or with another.
 */
export interface ProviderKit {
  /** A webhook secret of the form its dashboard gives. */
  secret: string;
  /** The name of its webhook's secret (its first `webhookSecrets`), as the local stack sets it. */
  secretName: string;
  /** What a deploy that chooses it declares besides the shared params: its own, its API's secrets. */
  deployed: { params: string[]; api: string[] };
  /** Its settings besides the webhook secret, as a deployment's defaults. */
  defaults?: Record<string, unknown>;
  /** Its module, reading `settings()` on each call (its API params are unused in process). */
  module: (settings: () => KitSettings) => ProviderModule;
  newId: () => string;
  deliver: (id: string, secret: string) => Sent;
  /** A delivery saying the verification reached `stage` of its provider's lifecycle at `at` (s). */
  stage: (id: string, secret: string, stage: string, at: number) => Sent;
  /** A delivery of its decision, approving or declining for good, at `at` (s). */
  decide: (id: string, secret: string, decision: "approved" | "declined", at: number) => Sent;
  /**
   * A life that ends approved, as the provider tells it, in the past: its deliveries, oldest
   * first; how many entries the audit trail keeps of them; and what the verification then holds.
   */
  life: (id: string, secret: string) => { sent: Sent[]; kept: number; holds: object };
  /**
   * A delivery that ends it without a decision at `at` (s), which never replaces a decision in its
   * order (Veriff's and Onfido's abandonment). Absent where its order has no such end.
   */
  abandon?: (id: string, secret: string, at: number) => Sent;
  /**
   * What its API answers about a verification so decided, personal data included, where its
   * stand-in would not answer so by itself (the suites program the stand-in with it).
   */
  apiAnswer?: (id: string, decision: "approved" | "declined") => unknown;
  /** What its erasure leaves on the tombstone: its outcome, and what the provider still holds. */
  erased: { outcome: string; stillHeld?: RegExp };
  /**
   * A genuine delivery of an event it does not act on (another object's, a new type): it is
   * acknowledged and stores nothing.
   */
  ignored?: (id: string, secret: string) => Sent;
  /**
   * Its webhook secret while it rotates: the newest and the older value, as the param holds both.
   * Absent where the provider signs with one secret (its own header carries a rotation).
   */
  rotation?: (newest: string, older: string) => string;
  /** The made-up personal data of its webhooks and its stand-in's answers: none may be stored. */
  personalData: RegExp;
  /**
   * What an approval's facts are, derived from its stand-in's realistic answer about the planted
   * person (scripts/dev/person.cjs) at the local stack's AGE_THRESHOLDS=18,21; `factsAt` aside.
   * Absent where the provider yields none: the suites then check that none are stored.
   */
  facts?: Omit<Facts, "factsAt">;
  /**
   * An approval naming `uid` where the provider carries the app's user (its metadata, a
   * reference): a value anyone who starts a verification could set. Absent where that hint links.
   */
  naming?: (id: string, secret: string, uid: string, at: number) => Sent;
}

/** A registered provider's kit, with what its descriptor says of its route. */
export interface Kit extends ProviderKit {
  id: string;
  /** The log label of its route's lines. */
  label: string;
  path: string;
  /** Settings that switch its route on with `secret`, for `receiverConfig`. */
  configured: (secret: string) => Record<string, Partial<KitSettings>>;
}

/** Every registered provider's kit, from its folder, in the registry's order. */
export const KITS: Kit[] = PROVIDERS.map((provider) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each folder's kit, found by id
  const { kit } = require(`../../src/providers/${provider.id}/test/kit`) as { kit: ProviderKit };
  return {
    ...kit,
    id: provider.id,
    label: provider.logLabel,
    path: provider.route.path,
    configured: (secret) => ({ [provider.id]: { webhookSecret: secret } }),
  };
});
