import type { TextInput } from "firebase-functions/params";
import * as params from "../../src/params";
import { definePassbaseParams } from "../../src/providers/passbase/params";
import { definePersonaParams } from "../../src/providers/persona/params";
import { declaredParams } from "../support/params";

const passbase = definePassbaseParams();
const persona = definePersonaParams();

/** Checks the regex a deploy's prompt holds an answer to: it takes `accepted`, asks again for `refused`. */
function expectPrompt(input: unknown, accepted: string[], refused: string[]) {
  const pattern = (input as TextInput<string> | undefined)?.text.validationRegex;
  if (pattern === undefined) throw new Error("no validationRegex");
  const regex = new RegExp(pattern);
  expect(accepted.filter((answer) => !regex.test(answer))).toEqual([]);
  expect(refused.filter((answer) => regex.test(answer))).toEqual([]);
}

test("every param and secret tells the deployer what it is", () => {
  const declared = declaredParams();
  // Which params exist is checked against docs/operations.md's table (test/unit/docs.test.ts).
  expect(declared.length).toBeGreaterThan(20);
  const undescribed = declared.filter((param) => !param.options.description);
  expect(undescribed.map((param) => param.name)).toEqual([]);
});

test("PASSBASE_API_BASE_URL asks again for anything but an https URL (or the local stand-in)", () => {
  expectPrompt(
    passbase.apiBaseUrl.options.input,
    [
      "https://api.passbase.com/verification/v1",
      "https://api.passbase.com",
      "http://127.0.0.1:5180/verification/v1",
      "http://localhost:5180",
    ],
    [
      "",
      "api.passbase.com/verification/v1",
      "http://api.passbase.com/verification/v1",
      "https://api.passbase.com/verification/v1?debug=1",
      "https://api.passbase.com/verification v1",
      "ftp://api.passbase.com",
    ],
  );
});

test("CORS_ORIGINS asks again for anything but a comma-separated list of origins", () => {
  expectPrompt(
    params.corsOrigins.options.input,
    [
      "",
      "https://app.example.com",
      "https://app.example.com,https://admin.example.com",
      "https://app.example.com, http://localhost:3000",
    ],
    ["*", "app.example.com", "https://app.example.com/", "https://a.com,,https://b.com"],
  );
});

test("PERSONA_TEMPLATE_ID asks again for anything but a template id, or nothing", () => {
  expectPrompt(
    persona.templateId.options.input,
    ["", "itmpl_ABC123", "tmpl_abc"],
    ["itmpl_", "inq_123", "itmpl_abc def", "https://withpersona.com"],
  );
});

test("PERSONA_SIGNATURE_TOLERANCE_SECONDS asks again for anything but whole seconds, at least 1", () => {
  expectPrompt(
    persona.toleranceSeconds.options.input,
    ["1", "600", "86400"],
    ["", "0", "-5", "600s", "1.5"],
  );
});

test("PERSONA_COMPLETED_MEANS offers pending and approved only", () => {
  expect(persona.completedMeans.options.input).toEqual({
    select: { options: [{ value: "pending" }, { value: "approved" }] },
  });
});

test("PERSONA_API_BASE_URL asks again for anything but an https URL (or the local stand-in)", () => {
  expectPrompt(
    persona.apiBaseUrl.options.input,
    ["https://api.withpersona.com/api/v1", "http://127.0.0.1:5180/api/v1"],
    ["http://api.withpersona.com/api/v1", "api.withpersona.com", "https://x/api?v=1"],
  );
});

describe("VERIFICATION_RETURN_URL", () => {
  it.each([
    ["", { url: undefined }],
    ["  ", { url: undefined }],
    ["https://app.example.com/verified", { url: "https://app.example.com/verified" }],
    [" https://app.example.com ", { url: "https://app.example.com" }],
    ["https://app.example.com/v?x=1#top", { url: "https://app.example.com/v?x=1#top" }],
    ["http://localhost:5000/", { url: "http://localhost:5000/" }],
    ["http://127.0.0.1:5000/done", { url: "http://127.0.0.1:5000/done" }],
    ["http://[::1]/", { url: "http://[::1]/" }],
  ])("takes %j", (raw, expected) => {
    expect(params.returnUrlOf(raw)).toEqual(expected);
  });

  it("prompts a deploy with the same rule", () => {
    expectPrompt(
      params.verificationReturnUrl.options.input,
      ["", "https://app.example.com/verified", "http://localhost:5000/"],
      ["http://app.example.com/", "javascript:alert(1)"],
    );
  });

  it.each([
    "http://app.example.com/",
    "http://localhost.example.com/",
    "https://",
    "https://app.example.com/a b",
    "javascript:alert(1)",
    "//app.example.com/",
    "app.example.com",
  ])("refuses %j", (raw) => {
    expect(params.returnUrlOf(raw)).toEqual({
      problem: "VERIFICATION_RETURN_URL is not an https URL (http only to localhost)",
    });
  });
});

describe("APP_CHECK", () => {
  const saved = process.env.APP_CHECK;
  afterEach(() => {
    if (saved === undefined) delete process.env.APP_CHECK;
    else process.env.APP_CHECK = saved;
  });

  it.each([
    ["enforce", true],
    [" enforce\n", true],
    ["off", false],
    ["", false],
    [undefined, false],
  ])("reads %j as enforced: %s", (value, enforced) => {
    if (value === undefined) delete process.env.APP_CHECK;
    else process.env.APP_CHECK = value;
    expect(params.appCheckEnforced()).toBe(enforced);
  });

  it.each(["Enforce", "true", "on", "enforced", "0"])(
    "stops the load on %j, saying what to write (never a silent off)",
    (value) => {
      process.env.APP_CHECK = value;
      expect(() => params.appCheckEnforced()).toThrow(
        `APP_CHECK is "${value}": write APP_CHECK=enforce or APP_CHECK=off in functions/.env.`,
      );
    },
  );

  it("offers the two values at deploy, off by default", () => {
    expect(params.appCheck.options.default).toBe("off");
    expect(params.appCheck.options.input).toEqual({
      select: { options: [{ value: "off" }, { value: "enforce" }] },
    });
  });
});

describe("what a kit instance must not share", () => {
  it("defaults to the standalone project's collections, claim and leases", () => {
    expect(params.storeNamesOf({})).toEqual({
      verifications: "verifications",
      users: "users",
      starts: "verificationStarts",
      claim: "identityVerified",
    });
  });

  it("reads an instance's own, trimmed, with leases beside its verifications", () => {
    expect(
      params.storeNamesOf({
        VERIFICATIONS_COLLECTION: " verifications_eu\n",
        USERS_COLLECTION: "profiles",
        VERIFIED_CLAIM: "identityVerifiedEu",
      }),
    ).toEqual({
      verifications: "verifications_eu",
      users: "profiles",
      starts: "verifications_eu_starts",
      claim: "identityVerifiedEu",
    });
  });

  it.each([
    [{ VERIFICATIONS_COLLECTION: "a/b" }, 'VERIFICATIONS_COLLECTION is "a/b"'],
    [{ USERS_COLLECTION: "__users__" }, 'USERS_COLLECTION is "__users__"'],
    [{ USERS_COLLECTION: "verifications" }, "must differ"],
    [{ VERIFIED_CLAIM: "admin role" }, 'VERIFIED_CLAIM is "admin role"'],
    [{ VERIFIED_CLAIM: "sub" }, 'VERIFIED_CLAIM is "sub"'],
  ])("stops the load on %j", (env, message) => {
    expect(() => params.storeNamesOf(env)).toThrow(message);
  });

  it("names the deployed functions and their region after the kit instance, if any", () => {
    expect(params.kitInstance({})).toBeUndefined();
    expect(params.kitInstance({ FIREBASE_KIT_INSTANCE_ID: "idv-eu" })).toBe("idv-eu");
    expect(params.deployedName("checkVerification", undefined)).toBe("checkVerification");
    expect(params.deployedName("checkVerification", "idv-eu")).toBe("kit-idv-eu-checkVerification");
    expect(params.deployedRegion({ FUNCTION_DEFAULT_REGION: "europe-west1" })).toBe("us-central1");
    expect(
      params.deployedRegion({
        FIREBASE_KIT_INSTANCE_ID: "idv-eu",
        FUNCTION_DEFAULT_REGION: "europe-west1",
      }),
    ).toBe("europe-west1");
  });
});
