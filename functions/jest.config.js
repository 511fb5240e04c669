/**
 * A provider's own tests sit in its folder (src/providers/<id>/test/): `*.test.ts` are unit tests,
 * `*.property.test.ts` and `*.emulator.test.ts` join the projects of those names.
 *
 * Five projects: pure unit tests; property runs of thousands of cases and timing ratios, which
 * take longer; suites that need the Firebase emulators running; the team's project with the kit
 * installed (scripts/test/kit-project.mjs); and `npm run new-provider` in a throwaway copy.
 */
const tsJest = { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] };

/** @type {import('jest').Config} */
module.exports = {
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
  projects: [
    {
      displayName: "unit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: [
        "<rootDir>/test/unit/**/*.test.ts",
        "<rootDir>/src/providers/*/test/*.test.ts",
        "!**/*.{property,emulator}.test.ts",
      ],
    },
    {
      displayName: "property",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: [
        "<rootDir>/test/property/**/*.test.ts",
        "<rootDir>/src/providers/*/test/*.property.test.ts",
      ],
    },
    {
      // The team's project with the kit installed twice: run by scripts/test/kit-project.mjs.
      displayName: "kit",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/kit/**/*.test.ts"],
    },
    {
      // `npm run new-provider` in a throwaway copy of the repository: npm run test:scaffold.
      displayName: "scaffold",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: ["<rootDir>/test/scaffold/**/*.test.ts"],
    },
    {
      displayName: "emulator",
      testEnvironment: "node",
      transform: tsJest,
      testMatch: [
        "<rootDir>/test/emulator/**/*.test.ts",
        "<rootDir>/src/providers/*/test/*.emulator.test.ts",
      ],
      globalSetup: "<rootDir>/test/emulator/require-emulators.js",
    },
  ],
};
