import AdmZip from "adm-zip";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { prepareFunctionsUpload } from "firebase-tools/lib/deploy/functions/prepareFunctionsUpload";

// firebase.json's `ignore` replaces firebase-tools' default list, so whatever must stay local
// (the real webhook secret in .secret.local above all) has to be named there. This packs a
// functions folder with firebase-tools' own deploy code and reads back what it would upload.
const repoDir = join(__dirname, "..", "..", "..");
const firebaseJson = JSON.parse(readFileSync(join(repoDir, "firebase.json"), "utf8")) as {
  functions: { source: string; ignore?: string[] }[];
};
const config = firebaseJson.functions.find((entry) => entry.source === "functions");

const uploaded = ["package.json", "npm-shrinkwrap.json", ".env", "lib/index.js"];
const local = [
  ".secret.local",
  ".env.local",
  ".env.demo-passbase",
  ".emulators/firestore-launcher.jar",
  "bench-results.json",
  "firestore-debug.log",
  "pubsub-debug.log",
  "src/index.ts",
  "test/unit/app.test.ts",
  "scripts/emulators/emulators.mjs",
  "node_modules/zod/package.json",
  "README.md",
  "kit/instance.env.example",
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "deploy-archive-"));
  for (const file of [...uploaded, ...local]) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), "x");
  }
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

test("firebase deploy uploads the built code and its manifests, and nothing that stays local", async () => {
  if (!config) throw new Error("firebase.json has no functions entry for functions/");
  // A copy: firebase-tools appends its own entries to the list it is given.
  const archive = await prepareFunctionsUpload(
    dir,
    dir,
    { ...config, ignore: config.ignore && [...config.ignore] },
    [],
  );
  const files = new AdmZip(archive.pathToSource)
    .getEntries()
    .filter((entry) => !entry.isDirectory)
    .map((entry) => entry.entryName);
  rmSync(archive.pathToSource, { force: true });
  expect(files.sort()).toEqual([...uploaded].sort());
});
