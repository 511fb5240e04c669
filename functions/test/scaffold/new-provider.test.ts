import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// `npm run new-provider` in a throwaway copy of the repository: the provider it writes passes the
// shared unit suites and lint, and a verification's life on the emulators; and nothing outside its
// folder changed but its registry entry and the generated provider lists.
const functionsDir = join(__dirname, "..", "..");
const repoDir = join(functionsDir, "..");
const ID = "zebrapay";

/** Runs a command; its output is kept for the failure message. */
function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: 600_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
const git = (copy: string, ...args: string[]) => run("git", args, copy).output.trim();

/** The file without its generated blocks (markdown and .env markers alike). */
const handWritten = (text: string) =>
  text.replace(
    /(providers:sync BEGIN [\w-]+)[^\n]*\n[\s\S]*?(\n[^\n]*providers:sync END)/g,
    "$1$2",
  );

let copy = "";
beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), "new-provider-"));
  // The files git knows and does not ignore, as they are now: the change under test included.
  const files = run("git", ["ls-files", "-co", "--exclude-standard", "-z"], repoDir)
    .output.split("\0")
    .filter((file) => file !== "" && !file.startsWith("functions/node_modules"));
  for (const file of files) cpSync(join(repoDir, file), join(copy, file), { recursive: true });
  symlinkSync(join(functionsDir, "node_modules"), join(copy, "functions", "node_modules"));
  git(copy, "init", "-q");
  git(copy, "add", "-A");
  git(copy, "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "base");
}, 120_000);
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe("npm run new-provider", () => {
  it("writes a provider that passes the shared suites and lint, touching nothing else", () => {
    const functions = join(copy, "functions");
    const scaffold = run("npm", ["run", "--silent", "new-provider", "--", ID], functions);
    expect(scaffold).toMatchObject({ status: 0 });

    // Its folder, its registry entry, and the generated lists: nothing else.
    const status = run("git", ["status", "--porcelain"], copy).output.split("\n");
    expect(status.filter(Boolean).sort()).toEqual(
      [
        ` M README.md`,
        ` M docs/operations.md`,
        ` M docs/providers.md`,
        ` M functions/.env`,
        ` M functions/.env.demo-passbase`,
        ` M functions/src/providers/registry.ts`,
        `?? functions/src/providers/${ID}/`,
      ].sort(),
    );
    const added = git(copy, "diff", "-U0", "functions/src/providers/registry.ts")
      .split("\n")
      .filter((line) => /^[+-][^+-]/.test(line));
    expect(added).toEqual([`+import { ${ID} } from "./${ID}/provider";`, `+  ${ID},`]);
    for (const file of ["README.md", "docs/operations.md", "docs/providers.md"]) {
      const before = git(copy, "show", `HEAD:${file}`);
      const after = readFileSync(join(copy, file), "utf8").trim();
      expect(handWritten(after)).toBe(handWritten(before));
      expect(after).toContain(`/webhooks/${ID}`);
    }
    for (const file of ["functions/.env", "functions/.env.demo-passbase"]) {
      const before = git(copy, "show", `HEAD:${file}`);
      const after = readFileSync(join(copy, file), "utf8").trim();
      expect(handWritten(after)).toBe(handWritten(before));
      expect(after).toContain(`${ID.toUpperCase()}_API_BASE_URL=`);
    }

    // The shared unit suites run for it through its kit, beside its own tests; lint passes.
    const report = join(copy, "unit.json");
    const unit = run(
      "npx",
      ["jest", "--selectProjects", "unit", "--silent", "--json", `--outputFile=${report}`],
      functions,
    );
    expect({ status: unit.status, tail: unit.output.slice(-2000) }).toMatchObject({ status: 0 });
    const results = (
      JSON.parse(readFileSync(report, "utf8")) as {
        testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
      }
    ).testResults;
    /** The tests of a suite that passed, those that name the provider only unless `all`. */
    const passedFor = (suite: string, all = false) =>
      results
        .filter(({ name }) => name.endsWith(suite))
        .flatMap(({ assertionResults }) => assertionResults)
        .filter(({ fullName, status }) => (all || fullName.includes(ID)) && status === "passed")
        .length;
    for (const suite of ["routes.test.ts", "secrets.test.ts", "deploy-manifest.test.ts"]) {
      expect([suite, passedFor(suite) > 0]).toEqual([suite, true]);
    }
    // Its own tests, from the template: its signature, events and order.
    expect(passedFor(`providers/${ID}/test/${ID}.test.ts`, true)).toBe(4);
    const lint = run("npm", ["run", "--silent", "lint"], functions);
    expect({ status: lint.status, tail: lint.output.slice(-2000) }).toMatchObject({ status: 0 });

    // And it lives on the emulators: the shared lives, run for it alone, through its stand-in.
    const lives = join(copy, "lives.json");
    const emulated = run(
      process.execPath,
      [
        "scripts/emulators/emulators.mjs",
        "exec",
        "--log",
        ".emulators/emulators.log",
        `npx jest --selectProjects emulator --runInBand test/emulator/lives.test.ts -t ${ID} --json --outputFile=${lives}`,
      ],
      functions,
    );
    expect({ status: emulated.status, tail: emulated.output.slice(-2000) }).toMatchObject({
      status: 0,
    });
    const lived = (
      JSON.parse(readFileSync(lives, "utf8")) as {
        testResults: { assertionResults: { fullName: string; status: string }[] }[];
      }
    ).testResults.flatMap(({ assertionResults }) => assertionResults);
    const ran = lived.filter(({ status }) => status !== "pending");
    expect(ran.length).toBeGreaterThanOrEqual(9);
    expect(
      ran.filter(({ fullName, status }) => fullName.startsWith(`${ID}:`) && status === "passed"),
    ).toHaveLength(ran.length);
  }, 900_000);
});
