import type { SecretParam } from "firebase-functions/params";
import type { ChosenProvider, Provider, ProviderModule } from "./contract";
import { onfido } from "./onfido/provider";
import { passbase } from "./passbase/provider";
import { persona } from "./persona/provider";
import { stripe } from "./stripe/provider";
import { sumsub } from "./sumsub/provider";
import { veriff } from "./veriff/provider";

/**
 * Every provider this backend knows: a deployment chooses among them. Each is a folder of its own
 * and one line here (and its import); `npm run new-provider` adds a new one at the end.
 */
export const PROVIDERS: readonly Provider[] = [
  // In the order of the docs' tables and the tools' lists.
  passbase,
  stripe,
  persona,
  veriff,
  sumsub,
  onfido,
];

/** The variable, in functions/.env, that lists the providers a deployment uses. */
export const CHOICE_VARIABLE = "VERIFICATION_PROVIDERS";

/** A provider the deployment chose: its descriptor, its params, and its code once loaded. */
export type Chosen = Provider & ChosenProvider & { module(): Promise<ProviderModule> };

/** The providers a deployment chose, and what the rest of the code asks of them. */
export interface Registry {
  /** In the order VERIFICATION_PROVIDERS names them. */
  readonly chosen: readonly Chosen[];
  /** A chosen provider by id; undefined for any other value. */
  get(id: unknown): Chosen | undefined;
  /** The provider a stored verification belongs to: its `provider`, or who owns unlabelled ones. */
  ofStored(provider: unknown): Chosen | undefined;
  /** The chosen providers' secrets, by the functions that bind them. */
  readonly webhookSecrets: SecretParam[];
  readonly apiSecrets: SecretParam[];
}

/** Thrown while the functions load: the deployment's choice names no known provider. */
export class ProviderChoiceError extends Error {}

/**
 * Reads VERIFICATION_PROVIDERS (comma-separated ids) and defines the chosen providers' params, in
 * that order. Runs when the functions load, so that a deploy's analysis sees exactly the chosen
 * providers' params and secrets; an unknown or missing id stops the load with what to write.
 */
export function chooseProviders(value: string | undefined, known = PROVIDERS): Registry {
  const ids = (value ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter((id) => id !== "");
  const knownIds = known.map((provider) => provider.id).join(", ");
  if (ids.length === 0) {
    throw new ProviderChoiceError(
      `${CHOICE_VARIABLE} is not set: list the providers this deployment uses in functions/.env, ` +
        `comma-separated, from: ${knownIds}.`,
    );
  }
  const chosen: Chosen[] = [];
  for (const id of new Set(ids)) {
    const provider = known.find((candidate) => candidate.id === id);
    if (!provider) {
      throw new ProviderChoiceError(
        `${CHOICE_VARIABLE} names an unknown provider "${id}"; the known ones are: ${knownIds}.`,
      );
    }
    const params = provider.choose();
    let loaded: Promise<ProviderModule> | undefined;
    chosen.push({
      ...provider,
      ...params,
      // Its code loads on the first call; a failed load is tried again on the next.
      module: () =>
        (loaded ??= params.load().catch((error: unknown) => {
          loaded = undefined;
          throw error;
        })),
    });
  }
  const get = (id: unknown) => chosen.find((provider) => provider.id === id);
  const unlabelledOwner = chosen.find((provider) => provider.ownsUnlabelled);
  return {
    chosen,
    get,
    ofStored: (provider) => (provider === undefined ? unlabelledOwner : get(provider)),
    webhookSecrets: chosen.flatMap((provider) => provider.webhookSecrets),
    apiSecrets: chosen.flatMap((provider) => provider.apiSecrets),
  };
}
