import { declaredParams as registered } from "firebase-functions/params";
import { reconcileSchedule } from "../../src/params";
import { PROVIDERS } from "../../src/providers/registry";

/** A param or secret as firebase-functions defines it. */
export interface DeclaredParam {
  name: string;
  options: { default?: unknown; description?: string; input?: unknown };
  constructor: { name: string };
}

/**
 * Every param and secret the code can define: the common ones (src/params.ts, loaded above), and
 * each provider's, as choosing every provider defines them.
 */
export function declaredParams(): DeclaredParam[] {
  for (const provider of PROVIDERS) provider.choose();
  return [...registered] as unknown[] as DeclaredParam[];
}

/** RECONCILE_SCHEDULE is read from functions/.env, not a param, but configured alike. */
export const reconcileScheduleDefault = reconcileSchedule;
