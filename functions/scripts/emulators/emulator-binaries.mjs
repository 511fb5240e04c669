// Finds what firebase-tools needs to run the Java emulators offline: a Java 21+, the Firestore
// emulator and the Pub/Sub emulator. One place, shared by the tests and the local runs.
//
// Each emulator is found in the same order: its `<NAME>_EMULATOR_BINARY_PATH` override (the
// variable firebase-tools itself reads), then the gcloud SDK's copy, then firebase-tools' own
// download (which needs network the first time). The SDK's Firestore jar has no Main-Class, so we
// write a small launcher jar whose manifest names the main class and puts the SDK's jar on the
// class path; the SDK's Pub/Sub emulator is a launcher script firebase-tools can run as it is.
import AdmZip from "adm-zip";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { findJava, javaEnv, JavaNotFound } from "./java.mjs";
import { functionsDir } from "./local-stack.mjs";

const require = createRequire(import.meta.url);
const FIRESTORE_MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";

export class EmulatorNotFound extends Error {}

function gcloudSdkRoot() {
  if (process.env.CLOUDSDK_ROOT_DIR) return process.env.CLOUDSDK_ROOT_DIR;
  try {
    return execFileSync("gcloud", ["info", "--format=value(installation.sdk_root)"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return undefined;
  }
}

/** A manifest header, folded as the JAR spec asks: at most 72 bytes a line, continued with a space. */
function header(name, value) {
  const line = `${name}: ${value}`;
  const parts = [line.slice(0, 72)];
  for (let i = 72; i < line.length; i += 71) parts.push(` ${line.slice(i, i + 71)}`);
  return parts.map((part) => `${part}\r\n`).join("");
}

/** Writes (or reuses) a launcher jar for the gcloud SDK's Firestore emulator jar. */
function firestoreLauncherFor(sdkJar) {
  const dir = join(functionsDir, ".emulators");
  const launcher = join(dir, "firestore-launcher.jar");
  const manifest =
    header("Manifest-Version", "1.0") +
    header("Main-Class", FIRESTORE_MAIN_CLASS) +
    header("Class-Path", pathToFileURL(sdkJar).href) +
    "\r\n";
  if (existsSync(launcher)) {
    const current = new AdmZip(launcher).readAsText("META-INF/MANIFEST.MF");
    if (current === manifest) return launcher;
  }
  mkdirSync(dir, { recursive: true });
  const zip = new AdmZip();
  zip.addFile("META-INF/MANIFEST.MF", Buffer.from(manifest, "utf8"));
  zip.writeZip(launcher);
  return launcher;
}

/** The file firebase-tools runs for `name` once it has downloaded it itself, if it has. */
function firebaseToolsDownload(name) {
  const { getDownloadDetails } = require("firebase-tools/lib/emulator/downloadableEmulators");
  const details = getDownloadDetails(name);
  const file = details.binaryPath ?? details.downloadPath;
  return existsSync(file) ? file : undefined;
}

const BINARIES = {
  firestore: {
    variable: "FIRESTORE_EMULATOR_BINARY_PATH",
    sdkFile: join("platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar"),
    fromSdk: firestoreLauncherFor,
    install:
      "apt-get install google-cloud-cli-firestore-emulator, or with network " +
      "`npx firebase setup:emulators:firestore`",
  },
  pubsub: {
    variable: "PUBSUB_EMULATOR_BINARY_PATH",
    sdkFile: join("platform", "pubsub-emulator", "bin", "cloud-pubsub-emulator"),
    fromSdk: (file) => file,
    install:
      "apt-get install google-cloud-cli-pubsub-emulator, or with network " +
      "`npx firebase setup:emulators:pubsub`",
  },
};

/** One emulator's override variable, and where it was found. */
function locate(name, sdkRoot) {
  const { variable, sdkFile, fromSdk, install } = BINARIES[name];
  const override = process.env[variable];
  if (override) {
    if (!existsSync(override)) {
      throw new EmulatorNotFound(`${variable} points at ${override}, which does not exist`);
    }
    return { env: { [variable]: override }, source: `override ${override}` };
  }
  if (sdkRoot && existsSync(join(sdkRoot, sdkFile))) {
    const file = join(sdkRoot, sdkFile);
    return { env: { [variable]: fromSdk(file) }, source: `gcloud SDK ${file}` };
  }
  const downloaded = firebaseToolsDownload(name);
  if (downloaded) return { env: {}, source: `firebase-tools download ${downloaded}` };
  throw new EmulatorNotFound(
    `No ${name} emulator found. Install the gcloud SDK's (Debian/Ubuntu: ${install}), ` +
      `or point ${variable} at one.`,
  );
}

/**
 * The environment firebase-tools needs to start `names` (of "firestore", "pubsub"; other
 * emulators need nothing found), and a line a source saying what was found. Throws
 * EmulatorNotFound, saying what to install, when something is missing.
 */
export function emulatorEnv(names) {
  let java;
  try {
    java = findJava();
  } catch (error) {
    if (error instanceof JavaNotFound) throw new EmulatorNotFound(error.message);
    throw error;
  }
  const sources = [`Java ${java.version}: ${java.source} (${java.home})`];
  let env = javaEnv(java);
  const sdkRoot = gcloudSdkRoot();
  for (const name of names.filter((n) => n in BINARIES)) {
    const found = locate(name, sdkRoot);
    env = { ...env, ...found.env };
    sources.push(`${name} emulator: ${found.source}`);
  }
  return { env, sources };
}
