#!/usr/bin/env node
// `npm run providers:sync`: writes what each provider's folder says of itself into the files that
// list every provider, between generated markers, in the registry's order:
//   - its README.md's tables: the project's README table, docs/providers.md's side-by-side and
//     erasure tables (with the text below them, as the provider's section), docs/operations.md's
//     params table, and the params' defaults in functions/.env;
//   - its local.env: the local stack's settings in functions/.env.demo-passbase.
// With --check it writes nothing, and exits 1 naming each file that differs. A unit test runs it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fromBuild, functionsDir, repoDir } from "../emulators/local-stack.mjs";

const check = process.argv.includes("--check");
const ids = fromBuild("providers", "registry.js").PROVIDERS.map((provider) => provider.id);
const folder = (id, file) => join(functionsDir, "src", "providers", id, file);

/** The cells of a markdown table's row, trimmed. */
const cellsOf = (line) =>
  line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((cell) => cell.trim());

/** A provider's README.md: its title, its tables by section, and its "How it works" text. */
function readProvider(id) {
  const text = readFileSync(folder(id, "README.md"), "utf8");
  const title = /^# (.+)$/m.exec(text)?.[1];
  const sections = Object.fromEntries(
    text
      .split(/\n## /)
      .slice(1)
      .map((section) => {
        const [heading, ...rest] = section.split("\n");
        return [heading.trim(), rest.join("\n").trim()];
      }),
  );
  const rows = (heading) => {
    const lines = (sections[heading] ?? "").split("\n").filter((line) => line.startsWith("|"));
    return lines.slice(2).map(cellsOf);
  };
  const pairs = (heading) => rows(heading).map(([key = "", value = ""]) => [key, value]);
  if (!title || !sections["How it works"]) {
    throw new Error(`${folder(id, "README.md")}: needs a "# Title" and a "## How it works"`);
  }
  return {
    id,
    title,
    glance: pairs("At a glance"),
    readme: pairs("In the README"),
    params: rows("Params"),
    erasure: pairs("Erasure"),
    text: sections["How it works"],
  };
}

const providers = ids.map(readProvider);

/** A table whose columns are the providers, its rows the keys the first one names. */
function matrix(pick) {
  const keys = [...new Set(providers.flatMap((provider) => pick(provider).map(([key]) => key)))];
  const valueOf = (provider, key) => pick(provider).find(([k]) => k === key)?.[1] || "—";
  return [
    `| | ${providers.map((provider) => provider.title).join(" | ")} |`,
    `| --- | ${providers.map(() => "---").join(" | ")} |`,
    ...keys.map((key) => `| ${key} | ${providers.map((p) => valueOf(p, key)).join(" | ")} |`),
  ].join("\n");
}

function erasureTable() {
  const columns = providers[0].erasure.map(([key]) => key).filter((key) => key !== "not confirmed");
  const rows = providers.map((provider) => {
    const values = columns.map((key) => provider.erasure.find(([k]) => k === key)?.[1] ?? "");
    return `| ${provider.title} | ${values.join(" | ")} |`;
  });
  const readings = providers.flatMap((provider) => {
    const reading = provider.erasure.find(([key]) => key === "not confirmed")?.[1];
    return reading ? [`- ${provider.title}: ${reading}`] : [];
  });
  return [
    `| provider | ${columns.join(" | ")} |`,
    `| --- | ${columns.map(() => "---").join(" | ")} |`,
    ...rows,
    "",
    "**Readings taken where the facts are not confirmed:**",
    "",
    ...readings,
  ].join("\n");
}

const paramsTable = () =>
  [
    "| param | kind | default | meaning |",
    "| --- | --- | --- | --- |",
    ...providers.flatMap((provider) => provider.params.map((row) => `| ${row.join(" | ")} |`)),
  ].join("\n");

/** A param's line in functions/.env: its default, for every param that has one and is no secret. */
const envDefaults = () =>
  providers
    .flatMap((provider) =>
      provider.params
        .filter(([, kind, fallback]) => kind !== "secret" && fallback !== "—")
        .map(([name, , fallback]) => {
          const value = fallback === "empty" ? "" : fallback.replaceAll("`", "");
          return `${name.replaceAll("`", "")}=${/[\s#"']/.test(value) ? JSON.stringify(value) : value}`;
        }),
    )
    .join("\n");

const localEnv = () =>
  [
    `VERIFICATION_PROVIDERS=${ids.join(",")}`,
    ...ids.map((id) =>
      existsSync(folder(id, "local.env"))
        ? readFileSync(folder(id, "local.env"), "utf8").trim()
        : "",
    ),
  ]
    .filter(Boolean)
    .join("\n");

const SOURCE =
  "from each provider's folder (functions/src/providers/<id>/): npm run providers:sync";
const markdown = (name) => [
  `<!-- providers:sync BEGIN ${name}, ${SOURCE} -->`,
  `<!-- providers:sync END ${name} -->`,
];
const env = (name) => [`# providers:sync BEGIN ${name}, ${SOURCE}`, `# providers:sync END ${name}`];

const TARGETS = [
  [join(repoDir, "README.md"), markdown, { providers: () => matrix((p) => p.readme) }],
  [
    join(repoDir, "docs", "providers.md"),
    markdown,
    {
      "side-by-side": () => matrix((p) => p.glance),
      sections: () => providers.map((p) => `## ${p.title}\n\n${p.text}`).join("\n\n"),
      erasure: erasureTable,
    },
  ],
  [join(repoDir, "docs", "operations.md"), markdown, { params: paramsTable }],
  [join(functionsDir, ".env"), env, { params: envDefaults }],
  [join(functionsDir, ".env.demo-passbase"), env, { local: localEnv }],
];

const stale = [];
for (const [file, markers, blocks] of TARGETS) {
  const before = readFileSync(file, "utf8");
  let after = before;
  for (const [name, make] of Object.entries(blocks)) {
    const [begin, end] = markers(name);
    const start = after.indexOf(begin);
    const stop = after.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`${file}: no block "${name}" (${begin})`);
    after = `${after.slice(0, start + begin.length)}\n${make()}\n${after.slice(stop)}`;
  }
  if (after === before) continue;
  stale.push(file);
  if (!check) writeFileSync(file, after);
}
if (check && stale.length > 0) {
  console.error(
    `Out of date with the providers' folders: ${stale.join(", ")}. Run npm run providers:sync.`,
  );
  process.exit(1);
}
console.log(stale.length > 0 ? `Wrote ${stale.join(", ")}` : "Every provider list is up to date.");
