import { declaredParams as registered } from "firebase-functions/params";
import { readFileSync } from "node:fs";
import { join } from "node:path";
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

/** The rows of a markdown table under `## <heading>` of a doc in docs/: its cells, trimmed. */
export function docTable(file: string, heading: string): string[][] {
  const doc = readFileSync(join(__dirname, "..", "..", "..", "docs", file), "utf8");
  const section = doc.split(`\n## ${heading}\n`)[1]?.split("\n## ")[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) =>
      line
        .split("|")
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}
