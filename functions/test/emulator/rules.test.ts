import { readFileSync } from "node:fs";
import { join } from "node:path";
import { checkRules, RULES_CASES } from "../../src/rules/check";
import { DEFAULT_NAMES } from "../../src/store/names";
import { run } from "../support/run";
import { FUNCTIONS_DIR } from "./support";

// This backend's rules cases (src/rules/check.ts), on the Firestore emulator: against the
// project's own firestore.rules, and as `check-rules` runs them against a team's merged file.
const host = process.env.FIRESTORE_EMULATOR_HOST ?? "";
const project = "demo-idv-rules-check";
const repoFile = (...path: string[]) => readFileSync(join(FUNCTIONS_DIR, "..", ...path), "utf8");
const fixture = (name: string) => join(FUNCTIONS_DIR, "test", "fixtures", "team-project", name);

describe("firestore.rules", () => {
  let results: Awaited<ReturnType<typeof checkRules>> = [];
  beforeAll(async () => {
    results = await checkRules({
      rules: repoFile("firestore.rules"),
      host,
      project,
      names: DEFAULT_NAMES,
    });
  });

  it.each(RULES_CASES.map((c) => [c.name, c.expect]))("%s (%s)", (name) => {
    expect(results.find((result) => result.name === name)).toMatchObject({ ok: true });
  });
});

describe("check-rules on a team's merged rules (the package's command line)", () => {
  const kitConfig = (instance: string) =>
    fixture(`function-kits/identity-verification/config-${instance}`);
  const eu = kitConfig("idv-eu");
  const checkRulesCli = (rules: string, config: string) =>
    run(
      process.execPath,
      [join(FUNCTIONS_DIR, "lib", "cli.js"), "check-rules", rules, "--config", config],
      { env: { ...process.env }, timeout: 60_000 },
    );

  it("passes a users rule merged as one, with the team's conditions and ours, for each instance", async () => {
    for (const config of [kitConfig("idv"), eu]) {
      const checked = await checkRulesCli(fixture("firestore.rules"), config);
      expect([checked.status, checked.stderr]).toEqual([0, ""]);
      expect(checked.stdout).toContain(`All ${RULES_CASES.length} rules cases pass`);
    }
  });

  it("fails the naive merge (the team's users rule beside ours), naming each case that fails", async () => {
    const checked = await checkRulesCli(fixture("firestore.naive.rules"), kitConfig("idv"));
    expect(checked.status).toBe(1);
    const failed = checked.stdout.split("\n").filter((line) => line.startsWith("✗"));
    expect(failed).toEqual([
      "✗ nobody writes `verification`, not even its owner (update): expected deny, got allow",
      "✗ nobody replaces `verification`, not even its owner: expected deny, got allow",
      "✗ nobody writes `attempt`, not even its owner: expected deny, got allow",
      "✗ nobody writes `documentExpiryDue`, not even its owner: expected deny, got allow",
      "✗ the owner cannot overwrite their record whole (it drops `verification`): expected deny, got allow",
      "✗ a new user cannot create their record with `verification`: expected deny, got allow",
      "✗ a new user cannot create their record with `attempt`: expected deny, got allow",
      "✗ a new user cannot create their record with `documentExpiryDue`: expected deny, got allow",
      "✗ nobody deletes a user record, not even its owner (erasure runs on the server): expected deny, got allow",
    ]);
    // The second instance's users rule is the naive one too.
    expect((await checkRulesCli(fixture("firestore.naive.rules"), eu)).status).toBe(1);
  });
});
