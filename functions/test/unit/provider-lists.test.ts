import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { PROVIDERS } from "../../src/providers/registry";

// Everything that lists providers for people follows the registry: `npm start`'s banner,
// `send-webhook --help` and the demo's options. The scripts are ES modules, which this CommonJS
// runner cannot import itself: each is asked in a child process.
const scripts = join(__dirname, "..", "..", "scripts");
const ids = PROVIDERS.map((provider) => provider.id).join("|");

const run = (args: string[]) => {
  const result = spawnSync(process.execPath, args, { encoding: "utf8", timeout: 30_000 });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
};

describe("provider lists for people", () => {
  it("send-webhook --help offers every registered provider, in the registry's order", () => {
    const help = run([join(scripts, "dev", "send-webhook.mjs"), "--help"]);
    expect(help.split("\n")[0]).toBe(
      `Usage: npm run send-webhook -- [--provider ${ids}] [options]`,
    );
  });

  it("the demo's --help offers every registered provider", () => {
    const help = run([join(scripts, "dev", "demo.mjs"), "--help"]);
    expect(help.split("\n")[0]).toBe(`Usage: npm run demo -- [--provider ${ids}]`);
  });

  it("npm start's banner names every registered provider for send-webhook and the demo", () => {
    const banner = run([
      "--input-type=module",
      "-e",
      `import { bannerText } from ${JSON.stringify(join(scripts, "emulators", "banner.mjs"))};
       console.log(bannerText({ project: "p", clientUrl: "c", webhooks: [], secrets: "s", data: "d" }));`,
    ]);
    const lines = banner.split("\n").map((line) => line.trim());
    expect(lines).toContain(`│   npm run send-webhook -- --provider ${ids} [--scenario NAME]`);
    expect(lines).toContain(`│   npm run demo -- --provider ${ids}`);
  });

  it("the README's, docs' and .env files' provider lists are what the providers' folders say", () => {
    const sync = run([join(scripts, "providers", "sync.mjs"), "--check"]);
    expect(sync).toBe("Every provider list is up to date.\n");
  });
});
