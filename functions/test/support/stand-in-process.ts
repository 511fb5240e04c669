import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/**
 * Runs the project's own API stand-in (scripts/dev/api-stand-in.mjs) in a child process, as the
 * local stack runs it, with the given local secrets: for the suites that try a provider's client
 * (or its official library) against the stand-in's authentication. Jest runs CommonJS, and the
 * stand-in is an ES module, hence the process. Resolves with its base URL once it listens.
 */
export async function startStandInProcess(
  keys: Record<string, string>,
  port: number,
): Promise<{ base: string; stop: () => void }> {
  const module = JSON.stringify(join(__dirname, "..", "..", "scripts", "dev", "api-stand-in.mjs"));
  const script = `import(${module}).then((m) => m.startStandIn({ keys: ${JSON.stringify(keys)}, project: "demo-test", port: ${port} })).then(() => { console.log("ready"); setInterval(() => {}, 1000); })`;
  const child: ChildProcess = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => {
      reject(new Error(`the stand-in exited with ${String(code)}`));
    });
  });
  return { base: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}
