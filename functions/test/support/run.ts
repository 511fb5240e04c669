import { execFile } from "node:child_process";

/**
 * Runs a command without blocking the event loop, so that the suite's pooled connections to the
 * emulators see their peers' closes in time (a blocked loop let a closed keep-alive socket be
 * reused). Resolves with its exit code and output, whatever the code.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { ...options, encoding: "utf8", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ status: error ? (typeof code === "number" ? code : null) : 0, stdout, stderr });
      },
    );
  });
}
