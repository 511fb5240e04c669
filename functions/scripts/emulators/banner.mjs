// What `npm start` prints once the local stack is up. The providers it names come from the local
// tools' list (scripts/dev/tools.mjs), which follows the registry: a test checks both.
import { TOOLS } from "../dev/tools.mjs";

/** The banner: the client, each webhook URL, where secrets and data are, and what to run next. */
export function bannerText({ project, clientUrl, webhooks, secrets, data }) {
  const ids = TOOLS.map((tools) => tools.id);
  const line = (name, value) => `│ ${name.padEnd(16)}${value}`;
  return `
┌──────────────────────────────────────────────────────────────────────────────
│ Identity-verification webhooks: the local stack is up (project ${project}, offline)
│
${line("Web client", `${clientUrl}  (open it: sign up, start, pick an outcome)`)}
${webhooks.map(({ name, url }) => line(name, url)).join("\n")}
│ Secrets       ${secrets} (random local values)
│ Data          kept in ${data}/ between runs; \`npm start -- --reset\` wipes it
│
│ Send a test event (another terminal, in functions/; --help lists each one's scenarios):
│   npm run send-webhook -- --provider ${ids.join("|")} [--scenario NAME]
│ Walk through the whole loop:
│   npm run demo -- --provider ${ids.join("|")}
└──────────────────────────────────────────────────────────────────────────────
`;
}
