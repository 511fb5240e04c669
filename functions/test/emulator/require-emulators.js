// The emulator suites need the Firebase emulators; run them through `npm run test:emulator`,
// which starts them with `firebase emulators:exec`. Never skip silently: fail and say so.
module.exports = async function requireEmulators() {
  for (const name of ["FIRESTORE_EMULATOR_HOST", "FIREBASE_EMULATOR_HUB"]) {
    if (!process.env[name]) {
      throw new Error(
        `${name} is not set: the emulator suites run inside the Firebase emulators. ` +
          "Use `npm run test:emulator` (or `npm test`).",
      );
    }
  }
};
