import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// scripts/emulators/java.mjs picks the Java the emulators run on. Each case builds fake JDKs (a `bin/java`
// that prints a version as the real one does) and asks the script, in a child process, which it
// picks: the script is an ES module, which this CommonJS test runner cannot import itself.
const script = join(__dirname, "..", "..", "scripts", "emulators", "java.mjs");

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "java-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fake JDK home whose `bin/java -version` reports `version` on stderr, as Java does. */
function jdk(name: string, version: string): string {
  const home = join(root, name);
  mkdirSync(join(home, "bin"), { recursive: true });
  const java = join(home, "bin", "java");
  writeFileSync(java, `#!/bin/sh\necho 'openjdk version "${version}" 2026-04-21' >&2\n`);
  chmodSync(java, 0o755);
  return home;
}

function find(env: Record<string, string>, jvmDir: string) {
  const code = `
    import { findJava } from ${JSON.stringify(script)};
    try {
      console.log(JSON.stringify(findJava({ env: ${JSON.stringify(env)}, jvmDir: ${JSON.stringify(jvmDir)} })));
    } catch (error) {
      console.log(JSON.stringify({ error: error.constructor.name, message: error.message }));
    }`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], {
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

test("JAVA_HOME wins when it is Java 21 or later", () => {
  const home = jdk("home-21", "21.0.4");
  const path = join(jdk("path-25", "25.0.3"), "bin");
  expect(find({ JAVA_HOME: home, PATH: path }, join(root, "jvm"))).toEqual({
    home,
    version: 21,
    source: `JAVA_HOME (${home})`,
  });
});

test("an old JAVA_HOME gives way to a new enough java on the PATH", () => {
  const home = jdk("home-17", "17.0.15");
  const path = jdk("path-22", "22.0.1");
  expect(find({ JAVA_HOME: home, PATH: join(path, "bin") }, join(root, "jvm"))).toEqual({
    home: path,
    version: 22,
    source: `java on the PATH (${join(path, "bin", "java")})`,
  });
});

test("with only old Javas in front, the newest JDK of the JVM folder is used", () => {
  const path = jdk("path-17", "17.0.15");
  jdk("jvm/java-17-openjdk-amd64", "17.0.15");
  const newest = jdk("jvm/temurin-25-jdk-amd64", "25.0.3");
  jdk("jvm/temurin-21-jdk-amd64", "21.0.9");
  expect(find({ PATH: join(path, "bin") }, join(root, "jvm"))).toEqual({
    home: newest,
    version: 25,
    source: `the newest JDK in ${join(root, "jvm")}`,
  });
});

test("no Java 21 anywhere: a clear error that says what was found and what to install", () => {
  const path = jdk("path-17", "17.0.15");
  jdk("jvm/java-11", "11.0.2");
  expect(
    find({ JAVA_HOME: join(root, "missing"), PATH: join(path, "bin") }, join(root, "jvm")),
  ).toEqual({
    error: "JavaNotFound",
    message:
      "The Firebase emulators need Java 21 or later (firebase-tools 15). Found: " +
      `JAVA_HOME (${join(root, "missing")}): does not run; ` +
      `java on the PATH (${join(path, "bin", "java")}): Java 17; ` +
      `newest in ${join(root, "jvm")}: Java 11. Install a JDK 21+ (for example Temurin 21 or ` +
      `25, whose Debian packages install into ${join(root, "jvm")}), or point JAVA_HOME at one.`,
  });
});
