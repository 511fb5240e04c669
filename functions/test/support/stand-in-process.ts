import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

/**
 * Runs the project's own API stand-in (scripts/dev/api-stand-in.mjs) in a child process, as the
 * local stack runs it, with the given local secrets: for the suites that try a provider's client
 * (or its official library) against the stand-in's authentication. Jest runs CommonJS, and the
 * stand-in is an ES module, hence the process. It listens on a port the system chooses, so that
 * suites running at once never meet; resolves with its base URL once it listens.
 */
export async function startStandInProcess(
  keys: Record<string, string>,
): Promise<{ base: string; stop: () => void }> {
  const module = JSON.stringify(join(__dirname, "..", "..", "scripts", "dev", "api-stand-in.mjs"));
  const script = `import(${module}).then((m) => m.startStandIn({ keys: ${JSON.stringify(keys)}, project: "demo-test", port: 0 })).then(({ url }) => { console.log("ready " + url); setInterval(() => {}, 1000); })`;
  const child: ChildProcess = spawn(process.execPath, ["--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (http:\/\/\S+)/.exec(out);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once("exit", (code) => {
      reject(new Error(`the stand-in exited with ${String(code)}`));
    });
  });
  return { base, stop: () => child.kill() };
}

/**
 * The stand-in for a whole suite, with `keys` as its local secrets: started before the suite,
 * stopped after it. Scripts its answers per id, and counts the erasure calls it received.
 */
export function standInForSuite(keys: Record<string, string>) {
  let base = "";
  let stop: () => void = () => undefined;
  beforeAll(async () => {
    ({ base, stop } = await startStandInProcess(keys));
  });
  afterAll(() => {
    stop();
  });
  return {
    /** Its base URL, once it listens. */
    base: () => base,
    /** Answers the next lookups (`identities`), erasure calls (`erasures`) or reads of verified values (`facts`) of `id` in turn. */
    program: async (
      kind: "identities" | "erasures" | "facts",
      id: string,
      responses: unknown[],
    ) => {
      await fetch(`${base}/__stand-in/${kind}/${id}`, {
        method: "PUT",
        body: JSON.stringify({ responses }),
      });
    },
    /** How many erasure calls it received for `id`. */
    erasureCalls: async (id: string) =>
      (
        (await (await fetch(`${base}/__stand-in/requests/${id}`)).json()) as { erase?: true }[]
      ).filter((request) => request.erase).length,
  };
}
