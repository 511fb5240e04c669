import dotenv from "dotenv";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROVIDERS } from "../../src/providers/registry";
import { KITS } from "../support/kits";

// What `firebase deploy` reads of the functions: firebase-tools runs firebase-functions' own
// binary with these two variables, which loads lib/index.js (built by `npm run test:unit`) with
// functions/.env in the environment and writes the manifest of params, secrets and endpoints.
const functionsDir = join(__dirname, "..", "..");
const committedEnv = dotenv.parse(readFileSync(join(functionsDir, ".env"), "utf8"));
const bin = join(
  functionsDir,
  "node_modules",
  "firebase-functions",
  "lib",
  "bin",
  "firebase-functions.js",
);

interface Manifest {
  params: { name: string; type: string }[];
  endpoints: Record<
    string,
    { secretEnvironmentVariables?: { key: string }[]; [field: string]: unknown }
  >;
}

function analyse(providers: string, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "manifest-"));
  const output = join(dir, "manifest.json");
  try {
    const run = spawnSync(process.execPath, [bin], {
      cwd: functionsDir,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        ...committedEnv,
        VERIFICATION_PROVIDERS: providers,
        ...extra,
        FUNCTIONS_CONTROL_API: "true",
        FUNCTIONS_MANIFEST_OUTPUT_PATH: output,
      },
    });
    const manifest =
      run.status === 0 ? (JSON.parse(readFileSync(output, "utf8")) as Manifest) : undefined;
    return { status: run.status, stderr: run.stderr, manifest };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The params every deployment has, whichever providers it chose. */
const COMMON = [
  "CORS_ORIGINS",
  "RECONCILE_AFTER_MINUTES",
  "RECONCILE_LIMIT",
  "RECONCILE_MAX_CHECKS",
  "CHECK_RETRY_MIN_SECONDS",
  "CHECK_MAX_PER_SECOND",
  "CHECK_MAX_CONCURRENT",
  "VERIFICATION_RETURN_URL",
  "APP_CHECK",
  "AGE_THRESHOLDS",
  "DOCUMENT_EXPIRY",
  "VERIFICATIONS_COLLECTION",
  "USERS_COLLECTION",
  "VERIFIED_CLAIM",
];
/** Each provider's params, and its secrets: the webhook's, then the API's, as its kit says. */
const OWN = Object.fromEntries(
  KITS.map((kit) => [kit.id, { ...kit.deployed, webhook: kit.secretName }]),
);
const ofId = (id: string) => {
  const own = OWN[id];
  if (!own) throw new Error(`no kit for ${id}`);
  return own;
};
const KNOWN = PROVIDERS.map((provider) => provider.id);

const secretsOf = (manifest: Manifest, name: string) =>
  (manifest.endpoints[name]?.secretEnvironmentVariables ?? []).map((s) => s.key).sort();

describe("the deploy's analysis, through firebase-functions' own manifest", () => {
  it.each<string[]>([...KNOWN.map((id) => [id]), KNOWN.slice(1)])(
    "declares and binds only the chosen providers' params and secrets: %s",
    (...chosen) => {
      const { status, stderr, manifest } = analyse(chosen.join(","));
      expect({ status, stderr: status === 0 ? "" : stderr }).toEqual({ status: 0, stderr: "" });
      if (!manifest) throw new Error("no manifest");
      const webhook = chosen.map((id) => ofId(id).webhook).sort();
      const api = chosen.flatMap((id) => ofId(id).api).sort();
      const secrets = [...new Set([...webhook, ...api])];
      expect(manifest.params.map((p) => p.name).sort()).toEqual(
        [...COMMON, ...chosen.flatMap((id) => ofId(id).params), ...secrets].sort(),
      );
      expect(Object.keys(manifest.endpoints).sort()).toEqual(
        [
          "checkVerification",
          "eraseVerificationData",
          "linkVerification",
          "onUserDeleted",
          "onVerificationWritten",
          "reconcileVerifications",
          "refreshVerificationFacts",
          "startVerification",
          "widgets",
        ].sort(),
      );
      expect(secretsOf(manifest, "widgets")).toEqual(webhook);
      for (const name of [
        "startVerification",
        "checkVerification",
        "reconcileVerifications",
        "refreshVerificationFacts",
      ]) {
        expect(secretsOf(manifest, name)).toEqual(api);
      }
      // Erasure only queues the providers' calls: the check queue makes them, with its secrets.
      for (const name of [
        "linkVerification",
        "onVerificationWritten",
        "onUserDeleted",
        "eraseVerificationData",
      ]) {
        expect(secretsOf(manifest, name)).toEqual([]);
      }
      // A 2nd-gen Auth trigger, retried: an erasure that failed midway runs again.
      expect(manifest.endpoints.onUserDeleted).toMatchObject({
        platform: "gcfv2",
        eventTrigger: { eventType: "google.firebase.auth.user.v2.deleted", retry: true },
      });
    },
    30_000,
  );

  it.each([
    [
      "acme",
      `VERIFICATION_PROVIDERS names an unknown provider "acme"; the known ones are: ${KNOWN.join(", ")}.`,
    ],
    [
      "stripe,acme",
      `VERIFICATION_PROVIDERS names an unknown provider "acme"; the known ones are: ${KNOWN.join(", ")}.`,
    ],
    [
      "",
      `VERIFICATION_PROVIDERS is not set: list the providers this deployment uses in functions/.env, comma-separated, from: ${KNOWN.join(", ")}.`,
    ],
  ])(
    "stops the load on %j, saying what to write",
    (providers, message) => {
      const { status, stderr, manifest } = analyse(providers);
      expect(status).not.toBe(0);
      expect(manifest).toBeUndefined();
      expect(stderr).toContain(message);
    },
    30_000,
  );

  it("stops the load on a collection name Firestore cannot take, saying which", () => {
    const { status, stderr } = analyse("stripe", { VERIFICATIONS_COLLECTION: "a/b" });
    expect(status).not.toBe(0);
    expect(stderr).toContain(
      'VERIFICATIONS_COLLECTION is "a/b": use 1 to 100 letters, digits, _ or - (a top-level collection).',
    );
  }, 30_000);

  it("watches a kit instance's own collection, and leaves the region to the kit's wrapper", () => {
    const { status, manifest } = analyse("stripe", {
      FIREBASE_KIT_INSTANCE_ID: "idv-eu",
      VERIFICATIONS_COLLECTION: "verifications_eu",
    });
    expect(status).toBe(0);
    const trigger = manifest?.endpoints.onVerificationWritten as {
      region?: unknown;
      eventTrigger?: { eventFilterPathPatterns?: unknown };
    };
    expect(trigger.eventTrigger?.eventFilterPathPatterns).toEqual({
      document: "verifications_eu/{key}",
    });
    expect(trigger.region).toBeUndefined();
  }, 30_000);

  it("stops the load on an APP_CHECK that is neither off nor enforce, saying what to write", () => {
    const { status, stderr, manifest } = analyse("stripe", { APP_CHECK: "true" });
    expect(status).not.toBe(0);
    expect(manifest).toBeUndefined();
    expect(stderr).toContain(
      'APP_CHECK is "true": write APP_CHECK=enforce or APP_CHECK=off in functions/.env.',
    );
  }, 30_000);
});
