#!/usr/bin/env node
// `npm run test:kit`: a team's existing Firebase project (test/fixtures/team-project: its own
// codebase with its own `widgets`, its own users rule, its own `admin` claim) installs this backend
// as a function kit, from the `npm pack` tarball, twice: `idv` (Stripe, today's collections) and
// `idv-eu` (Persona, verifications_eu and users_eu, its own claim). `functions:kits:install` needs
// a login, so its steps are done here as the README says to do them offline: the wrapper source
// installs the tarball, each instance's config dir holds its .env, and the kit's source holds the
// .secret.local every instance reads on the emulators. Then the kit suite (test/kit/) runs on the
// emulators of that project, with the API stand-in beside them.
import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative } from "node:path";
import { ensureLocalSecrets, readLocalSecret } from "../emulators/local-secret.mjs";
import { functionsDir } from "../emulators/local-stack.mjs";

const work = join(functionsDir, ".emulators", "kit");
const project = join(work, "team-project");
const kitSource = join(project, "function-kits", "identity-verification", "source");

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed in ${relative(functionsDir, cwd)}`);
    process.exit(result.status ?? 1);
  }
};

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// The package as npm publishes it (prepack builds it), and what it holds.
const packed = spawnSync("npm", ["pack", "--json", "--pack-destination", work], {
  cwd: functionsDir,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
if (packed.status !== 0) process.exit(packed.status ?? 1);
const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")));
const tarball = join(work, info.filename);
console.log(
  `npm pack: ${info.filename}, ${info.files.length} files, ${info.size} B packed, ` +
    `${info.unpackedSize} B unpacked`,
);

// A fresh copy of the team's project: the kit's wrapper installs the tarball (as the CLI does for
// a third-party package: without running its scripts), the team's codebase its own dependencies.
cpSync(join(functionsDir, "test", "fixtures", "team-project"), project, { recursive: true });
const offline = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
// Then, as the CLI does, the SDK versions the package declares, as the wrapper's own dependencies.
const declared = JSON.parse(readFileSync(join(functionsDir, "package.json"), "utf8")).dependencies;
run(
  "npm",
  [
    "install",
    tarball,
    `firebase-functions@${declared["firebase-functions"]}`,
    `firebase-admin@${declared["firebase-admin"]}`,
    "--ignore-scripts",
    "--save-prefix=^",
    ...offline,
  ],
  kitSource,
);
run("npm", ["install", ...offline], join(project, "functions"));

// The emulated kit reads its secrets from its source's .secret.local only, for every instance:
// the local values the API stand-in takes (functions/.secret.local, made by the emulator script).
const names = [
  "STRIPE_WEBHOOK_SECRET",
  "STRIPE_SECRET_KEY",
  "PERSONA_WEBHOOK_SECRET",
  "PERSONA_API_KEY",
];
ensureLocalSecrets();
const lines = names.map((name) => {
  const value = readLocalSecret(name);
  if (!value) {
    console.error(`No local ${name} in functions/.secret.local.`);
    process.exit(1);
  }
  return `${name}=${JSON.stringify(value)}`;
});
writeFileSync(join(kitSource, ".secret.local"), `${lines.join("\n")}\n`);

const files = (dir) =>
  readdirSync(dir).flatMap((name) =>
    statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)],
  );
console.log(
  `The team's project: ${files(project)
    .filter((path) => !path.includes("node_modules"))
    .map((path) => relative(project, path))
    .join(", ")}`,
);

// The suite, on the emulators of the team's project, with the API stand-in beside them.
run(
  process.execPath,
  [
    join(functionsDir, "scripts", "emulators", "emulators.mjs"),
    "exec",
    "--config",
    join(project, "firebase.json"),
    "--project",
    "demo-team",
    "--only",
    "functions,firestore,auth,pubsub,tasks",
    "--log",
    join(work, "emulators.log"),
    `cd ${JSON.stringify(functionsDir)} && KIT_PROJECT=${JSON.stringify(project)} ` +
      `KIT_TARBALL=${JSON.stringify(tarball)} npx jest --selectProjects kit --runInBand`,
  ],
  functionsDir,
);
