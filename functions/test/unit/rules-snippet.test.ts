import { readFileSync } from "node:fs";
import { join } from "node:path";
import { RULES_CASES } from "../../src/rules/check";
import { rulesFile, rulesMatches } from "../../src/rules/snippet";
import { DEFAULT_NAMES } from "../../src/store/names";

describe("the rules this backend needs", () => {
  it("are the standalone project's firestore.rules, to the letter", () => {
    const committed = readFileSync(join(__dirname, "..", "..", "..", "firestore.rules"), "utf8");
    expect(committed).toBe(rulesFile(DEFAULT_NAMES));
  });

  it("follow an instance's collection names", () => {
    const matches = rulesMatches({ verifications: "verifications_eu", users: "profiles" });
    expect(matches).toContain("match /verifications_eu/{key} {");
    expect(matches).toContain("match /profiles/{uid} {");
    expect(matches).not.toMatch(/match \/(verifications|users)\//);
  });

  it("are checked by cases with distinct names, each allowing or denying", () => {
    const names = RULES_CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(RULES_CASES.filter((c) => c.expect === "allow").length).toBeGreaterThan(3);
  });
});
