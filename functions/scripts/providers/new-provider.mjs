#!/usr/bin/env node
// `npm run new-provider -- <id>`: writes a working provider folder, src/providers/<id>/, from the
// template beside this script (a made-up HMAC protocol, its API stand-in, its test kit, its
// scenarios and its docs section), adds it to the registry (its import and its line in
// PROVIDERS), builds, and rewrites the generated provider lists (npm run providers:sync).
// Then replace the made-up protocol with the provider's own, from its facts.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const template = join(functionsDir, "scripts", "providers", "template");
const providersDir = join(functionsDir, "src", "providers");

const fail = (message) => {
  console.error(message);
  process.exit(2);
};

const id = process.argv[2];
if (!id || !/^[a-z][a-z0-9]{2,19}$/.test(id)) {
  fail(
    "Usage: npm run new-provider -- <id>   (3 to 20 lowercase letters and digits, e.g. zebrapay)",
  );
}
const folder = join(providersDir, id);
if (existsSync(folder)) fail(`src/providers/${id} exists already.`);

const Name = id[0].toUpperCase() + id.slice(1);
const fill = (text) =>
  text.replaceAll("acme", id).replaceAll("Acme", Name).replaceAll("ACME", id.toUpperCase());

/** Every template file, as its path below the template folder. */
const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : [relative(template, join(dir, entry.name))],
  );
for (const file of files(template)) {
  const target = join(folder, fill(file).replace(/\.tmpl$/, ""));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, fill(readFileSync(join(template, file), "utf8")));
}

// The registry: its import after the last provider's, its line at the end of PROVIDERS.
const registryFile = join(providersDir, "registry.ts");
const registry = readFileSync(registryFile, "utf8");
const imports = [...registry.matchAll(/^import \{ \w+ \} from "\.\/\w+\/provider";$/gm)];
const list = /(export const PROVIDERS: readonly Provider\[\] = \[\n(?:.*\n)*?)(\];)/.exec(registry);
const last = imports.at(-1);
if (!last || !list) fail("src/providers/registry.ts is not laid out as this script expects.");
const importEnd = last.index + last[0].length;
const withImport = `${registry.slice(0, importEnd)}\nimport { ${id} } from "./${id}/provider";${registry.slice(importEnd)}`;
writeFileSync(registryFile, withImport.replace(list[0], `${list[1]}  ${id},\n${list[2]}`));

const run = (command, args) => {
  const result = spawnSync(command, args, { cwd: functionsDir, stdio: "inherit" });
  if (result.status !== 0) fail(`${command} ${args.join(" ")} failed.`);
};
run(join(functionsDir, "node_modules", ".bin", "prettier"), [
  "--write",
  "--log-level=warn",
  folder,
]);
run("npm", ["run", "--silent", "build"]);
run(process.execPath, [join(functionsDir, "scripts", "providers", "sync.mjs")]);

console.log(`
src/providers/${id}/ is a working provider with a made-up protocol, registered and listed.
Choose it (VERIFICATION_PROVIDERS=…,${id}), run npm test, then replace the protocol with ${Name}'s
own, from its facts: signature.ts, event.ts, observe.ts, api-client.ts, local.mjs, README.md.`);
