#!/usr/bin/env node
// Checks the functions' log lines captured while the emulator suites ran: none may hold a secret,
// a webhook body the suites sent, the personal data the suites' API stand-in returned, or a whole
// verification key (a credential for linking: the logs name keys by their first 8 characters),
// nor the uid of a user the suites erased, but in the one line that says their erasure began.
//   node scripts/test/check-logs.mjs <emulators' output> <file of sent bodies, one per line>
//                                    [<file of erased users' uids, one per line>]
import { existsSync, readFileSync } from "node:fs";
import { readLocalSecret } from "../emulators/local-secret.mjs";
import { TOOLS } from "../dev/tools.mjs";
import person from "../dev/person.cjs";

const [logFile, bodiesFile, erasedFile] = process.argv.slice(2);
if (!logFile || !bodiesFile) {
  console.error("usage: node scripts/test/check-logs.mjs <log> <bodies>");
  process.exit(2);
}
// The Functions emulator prints what the functions log behind ">  ".
const lines = readFileSync(logFile, "utf8")
  .split("\n")
  .filter((line) => line.startsWith(">  "));
const bodies = existsSync(bodiesFile)
  ? readFileSync(bodiesFile, "utf8")
      .split("\n")
      .filter((b) => b.length >= 24)
  : [];

const needles = [
  // Every provider's local secrets, each line of them (a rotating secret holds several).
  ...TOOLS.flatMap((tools) => Object.keys(tools.localSecrets)).flatMap((name) =>
    (readLocalSecret(name) ?? "")
      .split("\n")
      .filter(Boolean)
      .map((value) => [name, value]),
  ),
  // What each provider's suites send and have its stand-in return, as its tools list it.
  ...TOOLS.flatMap((tools) => tools.logNeedles ?? []),
  // The stand-in returns its own page as a session's URL (Stripe's, Veriff's, Onfido's link).
  ["a session's URL", "/__pages/"],
  // What test/emulator/details.test.ts has the API stand-in return about the owner.
  ["an e-mail address", "jane.doe@example.com"],
  ["a document number", "X1234567"],
  ["a date of birth", "1990-01-01"],
  ["an owner's name", "Jane"],
  // The person every stand-in answers about and Persona's and Veriff's webhooks carry.
  ...person.PERSON_NEEDLES,
  ...bodies.map((body) => ["a webhook body", body]),
].filter(([, value]) => value);

const erased =
  erasedFile && existsSync(erasedFile)
    ? readFileSync(erasedFile, "utf8").split("\n").filter(Boolean)
    : [];
const ERASURE_STARTED = '"message":"verification data erasure started"';

const WHOLE_KEY = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const leaks = [];
for (const line of lines) {
  for (const [what, value] of needles) {
    if (line.includes(value)) leaks.push(`${what}: ${line.slice(0, 160)}`);
  }
  if (WHOLE_KEY.test(line)) leaks.push(`a whole verification key: ${line.slice(0, 160)}`);
  if (person.YEAR_BESIDE_MONTH.test(line)) {
    leaks.push(`the planted year of birth beside its month: ${line.slice(0, 160)}`);
  }
  for (const uid of erased) {
    if (line.includes(uid) && !line.includes(ERASURE_STARTED)) {
      leaks.push(`an erased user's uid: ${line.slice(0, 160)}`);
    }
  }
}
// Each erased user's erasure began, and said so by uid, in exactly one line.
for (const uid of erased) {
  const started = lines.filter((line) => line.includes(uid) && line.includes(ERASURE_STARTED));
  if (started.length !== 1) {
    leaks.push(`${started.length} lines say an erased user's erasure began, not one`);
  }
}
if (lines.length === 0) leaks.push("no function log lines were captured: nothing was checked");
for (const leak of leaks) console.error(`✗ ${leak}`);
console.log(
  `log lines checked: ${lines.length}, against ${needles.length} secrets, bodies and personal data, and ${erased.length} erased users`,
);
console.log(`logs: ${leaks.length === 0 ? 1 : 0} passed, ${leaks.length === 0 ? 0 : 1} failed`);
process.exit(leaks.length === 0 ? 0 : 1);
