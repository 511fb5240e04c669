#!/usr/bin/env node
// Builds the web client (web/src, web/static) into web/public, which Firebase Hosting serves: the
// modular Firebase SDK bundled with esbuild from functions/node_modules (one install serves the
// functions and the client), the page, its style and its config. Nothing loads from a CDN.
import { build } from "esbuild";
import { cpSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { functionsDir, repoDir } from "../emulators/local-stack.mjs";

export const webDir = join(repoDir, "web");
export const publicDir = join(webDir, "public");

/** Builds the client; resolves with the bundle's size in bytes. */
export async function buildWeb() {
  rmSync(publicDir, { recursive: true, force: true });
  mkdirSync(publicDir, { recursive: true });
  cpSync(join(webDir, "static"), publicDir, { recursive: true });
  const outfile = join(publicDir, "app.js");
  await build({
    entryPoints: [join(webDir, "src", "main.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    outfile,
    nodePaths: [join(functionsDir, "node_modules")],
    logLevel: "warning",
  });
  return statSync(outfile).size;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const bytes = await buildWeb();
  console.log(`web/public/app.js: ${bytes} bytes`);
}
