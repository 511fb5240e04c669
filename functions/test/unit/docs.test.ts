import { PROVIDERS } from "../../src/providers/registry";
import { declaredParams as defined, docTable, reconcileScheduleDefault } from "../support/params";

/** The rows of the configuration table in docs/operations.md: name, kind and default. */
function documentedParams() {
  return docTable("operations.md", "Configuration").map(
    ([name = "", kind = "", fallback = ""]) => ({
      name: name.replaceAll("`", ""),
      kind,
      fallback: fallback.replaceAll("`", ""),
    }),
  );
}

/** Every param and secret the functions declare, with the default a deploy would offer. */
function declaredParams() {
  const declared = defined();
  return [
    ...declared.map(({ name, options }) => {
      const fallback = (options as { default?: string | number | boolean }).default;
      return { name, fallback: fallback === undefined ? undefined : String(fallback) };
    }),
    // onSchedule takes a plain string, read from functions/.env: not a param, but configured alike.
    { name: "RECONCILE_SCHEDULE", fallback: reconcileScheduleDefault },
    // Which providers' params exist at all: read when the code loads, with no default.
    { name: "VERIFICATION_PROVIDERS", fallback: undefined },
  ];
}

test("the configuration table lists every param the code defines, and no other", () => {
  const documented = documentedParams().map((row) => row.name);
  expect([...documented].sort()).toEqual(
    declaredParams()
      .map((param) => param.name)
      .sort(),
  );
  expect(new Set(documented).size).toBe(documented.length);
});

test("the configuration table gives each param the default the code gives it", () => {
  const table = new Map(documentedParams().map((row) => [row.name, row]));
  const wrong = declaredParams().filter(({ name, fallback }) => {
    const cell = table.get(name)?.fallback;
    const documented = cell === "—" ? undefined : cell === "empty" ? "" : cell;
    return documented !== fallback;
  });
  expect(wrong.map((param) => param.name)).toEqual([]);
});

test("the table calls secrets secrets, and nothing else", () => {
  const secrets = defined()
    .filter((param) => param.constructor.name === "SecretParam")
    .map((secret) => secret.name)
    .sort();
  const documented = documentedParams()
    .filter((row) => row.kind === "secret")
    .map((row) => row.name)
    .sort();
  expect(documented).toEqual(secrets);
  // Each provider has at least two: its webhook's and its API's.
  expect(secrets.length).toBeGreaterThanOrEqual(2 * PROVIDERS.length);
});
