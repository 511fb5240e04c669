// Finds the Firestore emulator for firebase-tools. One place, shared by the tests and local runs.
//
// firebase-tools starts the Firestore emulator as `java -jar "$FIRESTORE_EMULATOR_BINARY_PATH"`,
// or downloads its own jar (which needs network, and Java 21 from firebase-tools 14.19 on). On
// machines without network we use the gcloud SDK's emulator instead: its jar has no Main-Class,
// so we write a small launcher jar whose manifest names the main class and puts the SDK's jar on
// the class path.
import AdmZip from "adm-zip";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const functionsDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore";
const SDK_JAR = join("platform", "cloud-firestore-emulator", "cloud-firestore-emulator.jar");

export class EmulatorNotFound extends Error {}

/** The major version of `java` on the PATH, or undefined when there is none. */
function javaMajorVersion() {
  const result = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (result.error) return undefined;
  // `java -version` prints to stderr: `openjdk version "17.0.15"` or `java version "1.8.0_x"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return 0;
  return match[1] === "1" ? Number(match[2]) : Number(match[1]);
}

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

/** Writes (or reuses) a launcher jar for the gcloud SDK's emulator jar. */
function launcherFor(sdkJar) {
  const dir = join(functionsDir, ".emulators");
  const launcher = join(dir, "firestore-launcher.jar");
  const manifest =
    header("Manifest-Version", "1.0") +
    header("Main-Class", MAIN_CLASS) +
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

function firebaseToolsDownload() {
  const dir = join(homedir(), ".cache", "firebase", "emulators");
  if (!existsSync(dir)) return undefined;
  const jar = readdirSync(dir).find((name) => /^cloud-firestore-emulator-v.*\.jar$/.test(name));
  return jar ? join(dir, jar) : undefined;
}

/**
 * Returns the environment firebase-tools needs to start the Firestore emulator, and where it
 * was found: the FIRESTORE_EMULATOR_BINARY_PATH override first, then the gcloud SDK, then
 * firebase-tools' own download. Throws EmulatorNotFound, saying what to install, otherwise.
 */
export function firestoreEmulatorEnv() {
  const java = javaMajorVersion();
  if (java === undefined || java < 11) {
    throw new EmulatorNotFound(
      `Java ${java ?? "is not installed"}: the Firestore emulator needs Java 11 or later ` +
        "(firebase-tools 14.18.0, pinned here, accepts Java 11+): apt-get install openjdk-17-jre-headless",
    );
  }
  const override = process.env.FIRESTORE_EMULATOR_BINARY_PATH;
  if (override) {
    if (!existsSync(override)) {
      throw new EmulatorNotFound(
        `FIRESTORE_EMULATOR_BINARY_PATH points at ${override}, which does not exist`,
      );
    }
    return { env: { FIRESTORE_EMULATOR_BINARY_PATH: override }, source: `override ${override}` };
  }
  const sdkRoot = gcloudSdkRoot();
  if (sdkRoot && existsSync(join(sdkRoot, SDK_JAR))) {
    const sdkJar = join(sdkRoot, SDK_JAR);
    return {
      env: { FIRESTORE_EMULATOR_BINARY_PATH: launcherFor(sdkJar) },
      source: `gcloud SDK ${sdkJar}`,
    };
  }
  const downloaded = firebaseToolsDownload();
  if (downloaded) return { env: {}, source: `firebase-tools download ${downloaded}` };
  throw new EmulatorNotFound(
    "No Firestore emulator found. Install the gcloud SDK's emulator " +
      "(Debian/Ubuntu: apt-get install google-cloud-cli-firestore-emulator), or point " +
      "FIRESTORE_EMULATOR_BINARY_PATH at an emulator jar, or, with network and Java 21, run " +
      "`npx firebase setup:emulators:firestore` to let firebase-tools download its own.",
  );
}
