// Finds a Java for the emulators: firebase-tools 15 refuses to start them on Java older than 21.
// One place, used by every script that starts emulators (the tests, `npm start`, the bench).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { dirname, delimiter, join } from "node:path";

export const MIN_JAVA = 21;
/** Where Debian and Ubuntu install JDKs, Temurin's packages included. */
export const JVM_DIR = "/usr/lib/jvm";

export class JavaNotFound extends Error {}

/** The major version a `java` binary reports, or undefined when it does not run. */
export function javaMajorVersion(javaBin, env = process.env) {
  const result = spawnSync(javaBin, ["-version"], { encoding: "utf8", env });
  if (result.error || result.status !== 0) return undefined;
  // `java -version` prints to stderr: `openjdk version "25.0.3"` or `java version "1.8.0_x"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (!match) return undefined;
  return match[1] === "1" ? Number(match[2]) : Number(match[1]);
}

/** `java` on the PATH, resolved to its file (through the alternatives links), or undefined. */
function javaOnPath(env) {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "java");
    if (dir && existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

/**
 * Returns the Java to run the emulators with, as `{ home, version, source }`: JAVA_HOME if it is
 * new enough, else `java` on the PATH if it is, else the newest JDK under `jvmDir`. Throws
 * JavaNotFound, saying what it saw and what to install, when none is at least MIN_JAVA.
 */
export function findJava({ env = process.env, jvmDir = JVM_DIR } = {}) {
  const seen = [];
  const consider = (home, source) => {
    const version = javaMajorVersion(join(home, "bin", "java"), env);
    seen.push(`${source}: ${version === undefined ? "does not run" : `Java ${version}`}`);
    return version !== undefined && version >= MIN_JAVA ? { home, version, source } : undefined;
  };

  if (env.JAVA_HOME) {
    const found = consider(env.JAVA_HOME, `JAVA_HOME (${env.JAVA_HOME})`);
    if (found) return found;
  }
  const onPath = javaOnPath(env);
  if (onPath) {
    const found = consider(dirname(dirname(onPath)), `java on the PATH (${onPath})`);
    if (found) return found;
  }
  const installed = existsSync(jvmDir)
    ? readdirSync(jvmDir)
        .map((name) => join(jvmDir, name))
        .filter((home) => existsSync(join(home, "bin", "java")))
        .map((home) => ({ home, version: javaMajorVersion(join(home, "bin", "java"), env) }))
        .filter((jdk) => jdk.version !== undefined)
        .sort((a, b) => b.version - a.version)
    : [];
  const newest = installed[0];
  if (newest && newest.version >= MIN_JAVA) {
    return { ...newest, source: `the newest JDK in ${jvmDir}` };
  }
  seen.push(newest ? `newest in ${jvmDir}: Java ${newest.version}` : `no JDK in ${jvmDir}`);
  throw new JavaNotFound(
    `The Firebase emulators need Java ${MIN_JAVA} or later (firebase-tools 15). Found: ` +
      `${seen.join("; ")}. Install a JDK ${MIN_JAVA}+ (for example Temurin 21 or 25, whose ` +
      `Debian packages install into ${jvmDir}), or point JAVA_HOME at one.`,
  );
}

/** The environment that makes firebase-tools, and the emulators it starts, use `java`. */
export function javaEnv(java, env = process.env) {
  return {
    JAVA_HOME: java.home,
    PATH: [join(java.home, "bin"), env.PATH].filter(Boolean).join(delimiter),
  };
}
