#!/usr/bin/env node
// The package's command line, for a team that installs it as a function kit:
//   rules --config <instance dir>                    the rules and index entries to merge
//   check-rules <rules file> --config <instance dir>  this backend's rules cases against that file
// It runs with this package's own dependencies and the Firebase CLI the team installs kits with
// (`firebase`, or FIREBASE_CLI), which runs the Firestore emulator (Java) for check-rules.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs, parseEnv } from "node:util";
import { deployedName, REGION, storeNamesOf } from "./params";
import { chooseProviders } from "./providers/registry";
import { checkRules } from "./rules/check";
import { INDEX_FIELD_OVERRIDES, rulesMatches } from "./rules/snippet";

const USAGE = `Usage:
  npx firebase-identity-verification rules --config <instance config dir>
  npx firebase-identity-verification check-rules <firestore.rules> --config <instance config dir>
  npx firebase-identity-verification urls --config <instance config dir> --instance <id> --project <project id>

The config dir is the kit instance's (function-kits/<kit>/config-<instance>): its .env names the
collections (VERIFICATIONS_COLLECTION, USERS_COLLECTION) the rules are for.`;

/** The instance's settings: its config dir's .env, then .env.local, as the CLI loads them. */
function instanceEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const file of [".env", ".env.local"]) {
    const path = join(dir, file);
    if (existsSync(path)) Object.assign(env, parseEnv(readFileSync(path, "utf8")));
  }
  return env;
}

/** A free port on loopback. */
const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        done(typeof address === "object" && address ? address.port : 0);
      });
    });
  });

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: "string" },
      instance: { type: "string" },
      project: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  const [command, file] = positionals;
  if (values.help || !command || !values.config) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const env = instanceEnv(resolve(values.config));
  const names = storeNamesOf(env);

  if (command === "urls") {
    // Each chosen provider's webhook URL, for its dashboard: the instance's `widgets`.
    if (!values.instance || !values.project) {
      console.error(USAGE);
      return 2;
    }
    const region = env.FUNCTION_DEFAULT_REGION?.trim() || REGION;
    const widgets = `https://${region}-${values.project}.cloudfunctions.net/${deployedName("widgets", values.instance)}`;
    for (const provider of chooseProviders(env.VERIFICATION_PROVIDERS).chosen) {
      console.log(`${provider.name.padEnd(16)}${widgets}${provider.route.path}`);
    }
    return 0;
  }

  if (command === "rules") {
    console.log(`// Merge these into the match /databases/{database}/documents block of your
// firestore.rules. Where you have your own rule for /${names.users}/{uid}, make one rule
// with both sets of conditions: any matching allow grants, so two rules side by side let users
// write the fields this backend owns. Then run check-rules on the file.
${rulesMatches(names)}`);
    console.log(
      `// firestore.indexes.json: add to "fieldOverrides"\n${JSON.stringify(INDEX_FIELD_OVERRIDES, null, 2)}`,
    );
    return 0;
  }

  if (command !== "check-rules" || !file) {
    console.error(USAGE);
    return 2;
  }
  const rules = readFileSync(resolve(file), "utf8");
  const host = process.env.FIRESTORE_EMULATOR_HOST;
  if (!host) {
    // No emulator running: start one with the team's Firebase CLI, and run this inside it.
    const dir = mkdtempSync(join(tmpdir(), "check-rules-"));
    try {
      const [firestore, hub, logging] = [await freePort(), await freePort(), await freePort()];
      writeFileSync(
        join(dir, "firebase.json"),
        JSON.stringify({
          emulators: {
            firestore: { host: "127.0.0.1", port: firestore },
            hub: { host: "127.0.0.1", port: hub },
            logging: { host: "127.0.0.1", port: logging },
            ui: { enabled: false },
          },
        }),
      );
      // The same check, inside the emulator, with every path made absolute (another cwd).
      const self = [
        process.execPath,
        resolve(process.argv[1] ?? ""),
        "check-rules",
        resolve(file),
        "--config",
        resolve(values.config),
      ]
        .map((arg) => JSON.stringify(arg))
        .join(" ");
      const cli = process.env.FIREBASE_CLI ?? "firebase";
      // The CLI answers any failed script with its own exit code: the check's is kept in a file.
      const result = join(dir, "exit-code");
      const run = spawnSync(
        cli,
        ["emulators:exec", "--only", "firestore", "--project", "demo-idv-rules-check", self],
        {
          cwd: dir,
          stdio: ["ignore", "inherit", "inherit"],
          env: { ...process.env, CHECK_RULES_EXIT_FILE: result },
        },
      );
      if (run.error) {
        console.error(`Could not run the Firebase CLI (${cli}): ${run.error.message}`);
        return 2;
      }
      return existsSync(result) ? Number(readFileSync(result, "utf8")) : (run.status ?? 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const results = await checkRules({ rules, host, project: "demo-idv-rules-check", names });
  for (const result of results) {
    console.log(
      result.ok
        ? `✓ ${result.name}`
        : `✗ ${result.name}: expected ${result.expected}, got ${result.got}`,
    );
  }
  const failed = results.filter((result) => !result.ok);
  console.log(
    failed.length === 0
      ? `\nAll ${results.length} rules cases pass for ${names.verifications} and ${names.users}.`
      : `\n${failed.length} of ${results.length} rules cases fail: fix the rules above.`,
  );
  const code = failed.length === 0 ? 0 : 1;
  if (process.env.CHECK_RULES_EXIT_FILE)
    writeFileSync(process.env.CHECK_RULES_EXIT_FILE, `${code}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
