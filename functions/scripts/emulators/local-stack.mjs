// Where the local stack lives: the project id and the emulator addresses, read from the same
// firebase.json and .firebaserc that `firebase emulators:*` read, and the region from the built
// params.ts, so that nothing is configured twice.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import local from "./local.cjs";

export const { functionsDir } = local;
export const repoDir = join(functionsDir, "..");

/** A module of the built functions (functions/lib), which the tools share instead of repeating. */
export function fromBuild(...path) {
  const built = join(functionsDir, "lib", ...path);
  if (!existsSync(built)) {
    console.error("functions/lib is missing: run `npm run build` first.");
    process.exit(2);
  }
  return createRequire(import.meta.url)(built);
}

const readJson = (file) => JSON.parse(readFileSync(join(repoDir, file), "utf8"));

/** The demo project and the emulators' host:port, as firebase.json sets them. */
export function localStack() {
  const project = readJson(".firebaserc").projects.default;
  const emulators = readJson("firebase.json").emulators;
  const hostOf = (name) => `${emulators[name].host}:${emulators[name].port}`;
  // The functions' region, from params.ts: the one place it is set.
  const { REGION } = fromBuild("params.js");
  const functions = `http://${hostOf("functions")}/${project}/${REGION}`;
  return {
    project,
    region: REGION,
    hub: hostOf("hub"),
    firestore: hostOf("firestore"),
    auth: hostOf("auth"),
    tasks: hostOf("tasks"),
    functionsBase: functions,
    webhookUrl: `${functions}/widgets/webhooks`,
  };
}

/**
 * The webhook URL of each provider the local project chooses (VERIFICATION_PROVIDERS in its
 * params files), from the built registry: [{ id, name, url }].
 */
export function webhookUrls(stack) {
  const chosen = (local.localParams(stack.project).VERIFICATION_PROVIDERS ?? "").split(",");
  return fromBuild("providers", "registry.js")
    .PROVIDERS.filter((provider) => chosen.map((id) => id.trim()).includes(provider.id))
    .map(({ id, name, route }) => ({
      id,
      name,
      url: `${stack.functionsBase}/widgets${route.path}`,
    }));
}

/**
 * Reads a document from the Firestore emulator over REST, as an admin: "Bearer owner" is the
 * emulator's admin token, which bypasses the security rules. Returns its fields, or undefined.
 */
export async function readEmulatorDocument(firestore, project, path) {
  const url = `http://${firestore}/v1/projects/${project}/databases/(default)/documents/${path}`;
  const res = await fetch(url, { headers: { Authorization: "Bearer owner" } });
  if (!res.ok) return undefined;
  return (await res.json()).fields ?? {};
}

/**
 * Puts the functions' params into process.env as firebase-tools does for a deploy: .env.<project>
 * over functions/.env, then each param's own default from the build (the common ones and the
 * chosen providers'), so that scripts share the functions' configuration without repeating it.
 * Variables already set win. Returns the chosen providers, as the functions choose them.
 */
export function loadFunctionParams(project) {
  for (const [name, value] of Object.entries(local.localParams(project))) {
    process.env[name] ??= value;
  }
  fromBuild("params.js");
  const registry = fromBuild("providers", "registry.js").chooseProviders(
    process.env.VERIFICATION_PROVIDERS,
  );
  const { declaredParams } = createRequire(import.meta.url)("firebase-functions/params");
  for (const param of declaredParams) {
    const fallback = param?.options?.default;
    if (typeof param?.name === "string" && fallback !== undefined) {
      process.env[param.name] ??= String(fallback);
    }
  }
  return registry;
}

/**
 * A new user of the Auth emulator, signed in as the client SDK would be: its uid and an ID token.
 * `auth` is the Admin SDK's Auth on the emulator.
 */
/** The App Check token the local stack takes (see local.cjs). */
export const localAppCheckToken = () => local.localAppCheckToken();

export async function signUp(auth, stack, prefix = "user") {
  const { uid, idToken } = await local.createSignedInUser(auth, stack.auth, prefix);
  return { uid, idToken: await idToken() };
}
