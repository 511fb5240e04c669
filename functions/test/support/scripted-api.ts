import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type Answer = { status: number; body?: unknown; raw?: string; hang?: boolean };

/**
 * A local HTTP server standing in for a provider's API, answering from a script, in turn; its
 * base URL ends in `path`. Every server is closed after each test.
 */
export async function scriptedApi(answers: Answer[], path = "") {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const answer = answers.length > 1 ? answers.shift() : answers[0];
      if (!answer || answer.hang) return; // never answers: the client's timeout must fire
      res.writeHead(answer.status, { "Content-Type": "application/json" });
      res.end(answer.raw ?? JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { baseUrl: `http://127.0.0.1:${port}${path}`, seen };
}
const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});
