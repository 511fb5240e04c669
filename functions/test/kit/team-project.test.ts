import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { deleteApp, initializeApp, type App } from "firebase-admin/app";
import { getAuth } from "firebase-admin/auth";
import { getFirestore } from "firebase-admin/firestore";
import { createSignedInUser } from "../../scripts/emulators/local.cjs";
import { eventually } from "../emulator/support/eventually";
import { standIn } from "../emulator/support/stand-in";
import { RULES_CASES } from "../../src/rules/check";
import { apiInquiry, inquiryEvent, postPersonaWebhook } from "../../src/providers/persona/test/kit";
import { run } from "../support/run";
import { apiSession, postStripeWebhook, sessionEvent } from "../../src/providers/stripe/test/kit";

// The team's project (test/fixtures/team-project) with this backend installed from its npm
// tarball as a function kit, twice, on the emulators: scripts/test/kit-project.mjs sets it up
// and runs this suite there. `idv`: Stripe, on `verifications` and `users`, claim
// `identityVerified`. `idv-eu`: Persona, on `verifications_eu` and `users_eu`, claim
// `identityVerifiedEu`. The team has its own `widgets` function, users rule and `admin` claim.
const PROJECT_DIR = process.env.KIT_PROJECT ?? "";
const KIT_SOURCE = join(PROJECT_DIR, "function-kits", "identity-verification", "source");
const configDir = (instance: string) =>
  join(PROJECT_DIR, "function-kits", "identity-verification", `config-${instance}`);
const PACKAGE = join(KIT_SOURCE, "node_modules", "firebase-identity-verification");
const FUNCTIONS_DIR = join(__dirname, "..", "..");
const BASE = "http://127.0.0.1:5101/demo-team/us-central1";
const secrets = parseEnv(readFileSync(join(KIT_SOURCE, ".secret.local"), "utf8"));
const secret = (name: string) => secrets[name] ?? "";

let app: App;
beforeAll(() => {
  if (!PROJECT_DIR) throw new Error("run through `npm run test:kit`");
  app = initializeApp({ projectId: "demo-team" }, "kit-suite");
});
afterAll(() => deleteApp(app));
const db = () => getFirestore(app);
const auth = () => getAuth(app);
const data = async (path: string) => (await db().doc(path).get()).data();
const claims = async (uid: string) => (await auth().getUser(uid)).customClaims ?? {};

/** A user of the team's app, who also carries the team's own `admin` claim. */
async function teamUser() {
  const user = await createSignedInUser(auth(), process.env.FIREBASE_AUTH_EMULATOR_HOST ?? "");
  await auth().setCustomUserClaims(user.uid, { admin: true });
  return user;
}

/** Calls a callable as the client SDK does. */
async function call(name: string, payload: unknown, idToken: string) {
  const res = await fetch(`${BASE}/${name}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${idToken}` },
    body: JSON.stringify({ data: payload }),
  });
  return { status: res.status, body: (await res.json()) as { result?: { id: string } } };
}

/** The decision reaches the instance's user record and claim, the team's claims kept. */
async function decided(users: string, uid: string, key: string, expectedClaims: object) {
  await eventually(
    async () => [await data(`${users}/${uid}`), await claims(uid)] as const,
    ([record, seen]) =>
      (record?.verification as { key?: string } | undefined)?.key === key &&
      JSON.stringify(seen) === JSON.stringify(expectedClaims),
    30_000,
  );
}

describe("the team's project with the kit installed twice", () => {
  const now = () => Math.floor(Date.now() / 1000);

  it("runs each instance's start → webhook → decision → user record → claim, on its own data", async () => {
    const user = await teamUser();
    const token = await user.idToken();

    // idv: Stripe, on today's collections.
    const stripe = await call("kit-idv-startVerification", { provider: "stripe" }, token);
    expect(stripe.status).toBe(200);
    const session = stripe.body.result?.id ?? "";
    await standIn.program(session, [{ status: 200, body: apiSession(session, "verified") }]);
    const verified = sessionEvent(session, "verified", "verified", now() - 60);
    const sent = await postStripeWebhook(
      `${BASE}/kit-idv-widgets`,
      verified,
      secret("STRIPE_WEBHOOK_SECRET"),
    );
    expect(sent.status).toBe(200);
    await decided("users", user.uid, session, { admin: true, identityVerified: true });
    expect(await data(`verifications/${session}`)).toMatchObject({
      provider: "stripe",
      status: "approved",
      uid: user.uid,
    });
    // The check queue, addressed as kit-idv-checkVerification, fetched the decision's details.
    await eventually(
      () => data(`verifications/${session}`),
      (doc) => doc?.detailsPending === false,
      30_000,
    );

    // idv-eu: Persona, on its own collections and claim.
    const persona = await call("kit-idv-eu-startVerification", { provider: "persona" }, token);
    expect(persona.status).toBe(200);
    const inquiry = persona.body.result?.id ?? "";
    await standIn.program(inquiry, [{ status: 200, body: apiInquiry(inquiry, "approved") }]);
    const approved = inquiryEvent(inquiry, "approved", "approved", (now() - 30) * 1000);
    const posted = await postPersonaWebhook(`${BASE}/kit-idv-eu-widgets`, approved, [
      secret("PERSONA_WEBHOOK_SECRET").split(",")[0] ?? "",
    ]);
    expect(posted.status).toBe(200);
    await decided("users_eu", user.uid, inquiry, {
      admin: true,
      identityVerified: true,
      identityVerifiedEu: true,
    });
    expect(await data(`verifications_eu/${inquiry}`)).toMatchObject({
      provider: "persona",
      status: "approved",
      uid: user.uid,
    });
    // Neither instance touched the other's data.
    expect(await data(`verifications/${inquiry}`)).toBeUndefined();
    expect(await data(`verifications_eu/${session}`)).toBeUndefined();
    expect((await data(`users/${user.uid}`))?.verification).toMatchObject({ key: session });
    expect((await data(`users_eu/${user.uid}`))?.verification).toMatchObject({ key: inquiry });
    // A provider the instance did not choose has no route there.
    const other = await postStripeWebhook(
      `${BASE}/kit-idv-eu-widgets`,
      verified,
      secret("STRIPE_WEBHOOK_SECRET"),
    );
    expect(other.status).toBe(404);

    // One instance's erasure withdraws its own claim only: the team's and the other instance's stay.
    const erased = await call("kit-idv-eu-eraseVerificationData", {}, token);
    expect(erased.status).toBe(200);
    expect(await claims(user.uid)).toEqual({ admin: true, identityVerified: true });
    expect(await data(`verifications/${session}`)).toMatchObject({ uid: user.uid });
    expect((await data(`users/${user.uid}`))?.verification).toMatchObject({ key: session });

    // The account goes: each instance erases its own, and the team's profile fields stay.
    await db().doc(`users/${user.uid}`).update({ displayName: "the team's" });
    await auth().deleteUser(user.uid);
    await eventually(
      async () => [await data(`users/${user.uid}`), await data(`verifications/${session}`)],
      ([record, doc]) => record?.verification === undefined && doc?.erasedAt !== undefined,
      30_000,
    );
    expect(await data(`users/${user.uid}`)).toEqual({ displayName: "the team's" });
    expect(await data(`users_eu/${user.uid}`)).toBeUndefined();
  }, 120_000);

  it("leaves the team's own `widgets` answering its own requests beside the kit's", async () => {
    const res = await fetch(`${BASE}/widgets/hello`);
    expect([res.status, await res.json()]).toEqual([
      200,
      { from: "the team's widgets", path: "/hello" },
    ]);
    // The kit's own, under its instance's name: POST only.
    expect((await fetch(`${BASE}/kit-idv-widgets/webhooks/stripe`)).status).toBe(405);
  });

  it("names the instance in every log line of the kit's functions", () => {
    const log = readFileSync(join(FUNCTIONS_DIR, ".emulators", "kit", "emulators.log"), "utf8");
    const ours = log.split("\n").filter((line) => line.includes('"message":"stripe webhook'));
    expect(ours.length).toBeGreaterThan(0);
    for (const line of ours) expect(line).toContain('"instance":"idv"');
    const eu = log.split("\n").filter((line) => line.includes('"message":"persona webhook'));
    expect(eu.length).toBeGreaterThan(0);
    for (const line of eu) expect(line).toContain('"instance":"idv-eu"');
  });
});

/** What this suite reads of a deploy manifest. */
interface Manifest {
  params: { name: string; type: string }[];
  endpoints: Record<string, { eventTrigger?: { eventFilterPathPatterns?: object } }>;
}

describe("each instance as a deploy analyses it", () => {
  /** The manifest `firebase deploy` reads, for one instance of the installed kit. */
  async function manifestOf(instance: string) {
    const dir = mkdtempSync(join(tmpdir(), "kit-manifest-"));
    const output = join(dir, "manifest.json");
    try {
      const env = parseEnv(readFileSync(join(configDir(instance), ".env"), "utf8"));
      const bin = join(
        KIT_SOURCE,
        "node_modules",
        "firebase-functions",
        "lib",
        "bin",
        "firebase-functions.js",
      );
      const analysed = await run(process.execPath, [bin], {
        cwd: KIT_SOURCE,
        env: {
          PATH: process.env.PATH,
          ...env,
          FIREBASE_KIT_INSTANCE_ID: instance,
          FUNCTIONS_CONTROL_API: "true",
          FUNCTIONS_MANIFEST_OUTPUT_PATH: output,
        },
      });
      expect([analysed.status, analysed.stderr]).toEqual([0, ""]);
      return JSON.parse(readFileSync(output, "utf8")) as Manifest;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const secretsOf = (manifest: Manifest) =>
    manifest.params
      .filter((param) => param.type === "secret")
      .map((param) => param.name)
      .sort();

  it("binds only its own providers' secrets, and watches its own collection", async () => {
    const idv = await manifestOf("idv");
    expect(secretsOf(idv)).toEqual(["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]);
    expect(idv.endpoints.onVerificationWritten?.eventTrigger?.eventFilterPathPatterns).toEqual({
      document: "verifications/{key}",
    });
    const eu = await manifestOf("idv-eu");
    expect(secretsOf(eu)).toEqual(["PERSONA_API_KEY", "PERSONA_WEBHOOK_SECRET"]);
    expect(eu.endpoints.onVerificationWritten?.eventTrigger?.eventFilterPathPatterns).toEqual({
      document: "verifications_eu/{key}",
    });
  }, 60_000);
});

/** The installed package's command line, as a team runs it (`npx firebase-identity-verification`). */
const cli = (...args: string[]) => run(process.execPath, [join(PACKAGE, "lib", "cli.js"), ...args]);

describe("check-rules, from the installed package, with the Firebase CLI", () => {
  /** The package's command line as a team runs it: its own emulator, started by the CLI. */
  const checkRules = (rules: string, instance: string) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FIREBASE_CLI: join(FUNCTIONS_DIR, "node_modules", ".bin", "firebase"),
    };
    delete env.FIRESTORE_EMULATOR_HOST;
    return run(
      process.execPath,
      [
        join(PACKAGE, "lib", "cli.js"),
        "check-rules",
        join(PROJECT_DIR, rules),
        "--config",
        configDir(instance),
      ],
      { cwd: PROJECT_DIR, env, timeout: 120_000 },
    );
  };

  it("passes the team's merged rules for both instances, and fails the naive merge by name", async () => {
    const merged = await checkRules("firestore.rules", "idv-eu");
    expect(merged.status).toBe(0);
    expect(merged.stdout).toContain(`All ${RULES_CASES.length} rules cases pass`);
    const naive = await checkRules("firestore.naive.rules", "idv");
    expect(naive.status).toBe(1);
    expect(naive.stdout).toContain(
      "✗ nobody writes `verification`, not even its owner (update): expected deny, got allow",
    );
  }, 240_000);

  it("prints the rules and index entries for an instance's collections", async () => {
    const printed = await cli("rules", "--config", configDir("idv-eu"));
    expect(printed.status).toBe(0);
    expect(printed.stdout).toContain("match /verifications_eu/{key} {");
    expect(printed.stdout).toContain("match /users_eu/{uid} {");
    expect(printed.stdout).toContain('"collectionGroup": "linkConflicts"');
  });

  it("prints each chosen provider's webhook URL for an instance", async () => {
    const printed = await cli(
      "urls",
      "--config",
      configDir("idv-eu"),
      "--instance",
      "idv-eu",
      "--project",
      "my-project",
    );
    expect([printed.status, printed.stdout]).toEqual([
      0,
      "Persona         https://us-central1-my-project.cloudfunctions.net/kit-idv-eu-widgets/webhooks/persona\n",
    ]);
  });
});
