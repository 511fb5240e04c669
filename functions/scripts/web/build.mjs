#!/usr/bin/env node
// Builds the web client (web/src, web/static) into web/public, which Firebase Hosting serves: the
// modular Firebase SDK bundled with esbuild from functions/node_modules (one install serves the
// functions and the client), the page, its style and its config. Nothing loads from a CDN.
import { build } from "esbuild";
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { functionsDir, repoDir } from "../emulators/local-stack.mjs";

export const webDir = join(repoDir, "web");
export const publicDir = join(webDir, "public");

/**
 * Builds the client: `app.js`, and the providers' SDKs as chunks it loads when a flow opens.
 * Resolves with the bundle's size in bytes (what a first visit downloads: the entry and what it
 * imports statically) and each chunk loaded later.
 */
export async function buildWeb() {
  rmSync(publicDir, { recursive: true, force: true });
  mkdirSync(publicDir, { recursive: true });
  cpSync(join(webDir, "static"), publicDir, { recursive: true });
  const { metafile } = await build({
    entryPoints: [join(webDir, "src", "main.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    splitting: true,
    entryNames: "app",
    chunkNames: "chunks/[name]-[hash]",
    target: "es2022",
    outdir: publicDir,
    nodePaths: [join(functionsDir, "node_modules")],
    metafile: true,
    absWorkingDir: repoDir,
    logLevel: "warning",
  });
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith(".js"));
  const entry = outputs.find(([, output]) => output.entryPoint);
  const first = new Set([
    entry[0],
    ...entry[1].imports.filter((i) => i.kind === "import-statement").map((i) => i.path),
  ]);
  const sizeOf = (file) => statSync(join(repoDir, file)).size;
  const files = [...first].map((file) => relative(publicDir, join(repoDir, file)));
  // What app.js imports statically (code it shares with the SDKs' chunks) is fetched beside it,
  // not after it has been parsed.
  const page = join(publicDir, "index.html");
  const preloads = files
    .filter((file) => file !== "app.js")
    .map((file) => `<link rel="modulepreload" href="${file}" />`);
  writeFileSync(page, readFileSync(page, "utf8").replace("</head>", `${preloads.join("")}</head>`));
  return {
    bytes: [...first].reduce((sum, file) => sum + sizeOf(file), 0),
    files,
    later: outputs
      .filter(([file]) => !first.has(file))
      .map(([file]) => ({ file: relative(publicDir, join(repoDir, file)), bytes: sizeOf(file) })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { bytes, files, later } = await buildWeb();
  console.log(`first visit (${files.join(", ")}): ${bytes} bytes`);
  for (const chunk of later)
    console.log(`loaded when a flow opens: ${chunk.file}: ${chunk.bytes} bytes`);
}
