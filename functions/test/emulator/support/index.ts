// The emulator suites' helpers, one job a file.
export * from "./admin";
export * from "./config";
export * from "./documents";
export * from "./emulator-log";
export * from "./eventually";
export * from "./functions";
export * from "./stand-in";
export * from "./users";
export * from "./webhooks";
export * from "./markers";
