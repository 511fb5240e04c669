// The local tools' side of each provider: its folder's local.mjs (API stand-in routes, signed
// sender and scenarios, demo path, local secrets and settings), in the order of the built registry,
// so that adding a provider adds nothing here. The API stand-in, send-webhook, the demo, the local
// secrets and the emulator settings loop over these.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fromBuild, functionsDir } from "../emulators/local-stack.mjs";

/** The folder of a provider's code, tests and tools. */
export const providerDir = (id) => join(functionsDir, "src", "providers", id);

export const TOOLS = await Promise.all(
  fromBuild("providers", "registry.js").PROVIDERS.map(
    async ({ id }) =>
      (await import(pathToFileURL(join(providerDir(id), "local.mjs")).href)).default,
  ),
);

/** A provider's tools by id; undefined for an unknown one. */
export const toolsOf = (id) => TOOLS.find((tools) => tools.id === id);
