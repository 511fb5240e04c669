// One cold start, measured inside a fresh process: the time to load a functions module, and
// then to serve its first request. `npm run bench` runs it for lib/index.js and for the hello
// baseline. Usage: node scripts/bench-cold.cjs <module> <export> <method> <body file or ->
const { createServer } = require("node:http");
const { readFileSync } = require("node:fs");
const { performance } = require("node:perf_hooks");

const [modulePath, name, method, bodyFile] = process.argv.slice(2);
const started = performance.now();
const handler = require(modulePath)[name];
const loaded = performance.now();
const server = createServer(handler).listen(0, "127.0.0.1", () => {
  const body = bodyFile === "-" ? undefined : readFileSync(bodyFile, "utf8");
  const url = `http://127.0.0.1:${server.address().port}/webhooks`;
  fetch(url, { method, body, headers: { "Content-Type": "text/plain" } })
    .then(async (res) => {
      await res.text();
      const served = performance.now();
      console.log(
        JSON.stringify({
          status: res.status,
          loadMs: loaded - started,
          firstRequestMs: served - loaded,
        }),
      );
      process.exit(0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
});
