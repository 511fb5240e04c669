import { createLogs } from "../../src/logs";
import { docTable } from "../support/params";
import { recordingLogger } from "../support/recording";

/** The rows of the logs table in docs/operations.md: message template, level and fields. */
function documentedLines() {
  return docTable("operations.md", "Logs").map(([message = "", level = "", fields = ""]) => ({
    message: message.replaceAll("`", ""),
    level,
    // Field names; what stands in parentheses describes their values.
    fields: [...fields.replace(/\([^)]*\)/g, "").matchAll(/`([A-Za-z]+)`/g)]
      .map((m) => m[1] ?? "")
      .sort(),
  }));
}

/** A template's placeholders (<…>) and elisions (…) match any text. */
const patternOf = (template: string) =>
  new RegExp(
    `^${template
      .split(/(<[^>]+>|…)/)
      .map((part) =>
        part.startsWith("<") || part === "…" ? ".+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("")}$`,
  );

/** Every log method, called once with fields as the code passes them (twice where it branches). */
function everyLine() {
  const log = recordingLogger();
  const logs = createLogs(log.logger);
  const key = "b76e244e-26a3-49ef-9c72-3e599bf0b5f2";
  const called = new Set<string>();
  const call = <K extends keyof typeof logs>(name: K, ...args: Parameters<(typeof logs)[K]>) => {
    called.add(name);
    (logs[name] as (...a: typeof args) => void)(...args);
  };
  call("webhookAccepted", "stripe webhook", { key, event: "e", outcome: "applied", ms: 1 });
  call("webhookAccepted", "webhook", { key, event: "e", outcome: "recorded", ms: 1, keyIndex: 0 });
  call("webhookAccepted", "webhook", { key, event: "e", outcome: "foreign", ms: 1 });
  call("webhookRejected", "webhook", { reason: "empty", issues: [], bytes: 0, ms: 1 });
  call("webhookNotStored", "persona webhook", "Persona", { key, event: "e", ms: 1, error: "x" });
  call("webhookOff", "/webhooks/stripe", "STRIPE_WEBHOOK_SECRET is not set. Set it to …");
  call("webhookMisconfigured", "/webhooks", "PASSBASE_WEBHOOK_SECRET is misconfigured: x");
  call("olderSecretUsed", { key, secret: 1, label: "webhook" });
  call("failed", new Error("x"));
  call("linked", { key, outcome: "linked" });
  call("linkConflict", { key, source: "metadata" });
  call("metadataUidIgnored", { key, reason: "invalid" });
  call("userSynced", { key, outcome: "updated", ms: 1 });
  call("userSynced", { key, outcome: "invalid-uid", ms: 1 });
  call("statusRead", { outcome: "ok", ms: 1 });
  call("detailsStored", {
    key,
    attempts: 1,
    linkedFromMetadata: "no",
    facts: ["ageOver", "documentExpiresOn"],
  });
  call("factsWithheld", { id: "stripe", name: "Stripe" }, { key, missing: "x" });
  call("factsMisconfigured", { problem: 'AGE_THRESHOLDS holds "abc": list ages from 1 to 99' });
  call("documentsExpired", { selected: 1, flagged: 1 });
  call("factsRefreshed", { key, facts: ["ageOver"] });
  call("detailsSkipped", { key, reason: "PERSONA_API_KEY is not set" });
  call("detailsQueued", { key, outcome: "queued" });
  call("apiUnavailable", { key, provider: "stripe", status: 503, attempts: 1 });
  const persona = { name: "Persona", keyParams: "PERSONA_API_KEY" };
  call("apiFailed", persona, { key, failure: "unauthorized", status: 401, attempts: 1 });
  call("apiFailed", persona, { key, failure: "not-found", status: 404, attempts: 1 });
  call("taskIgnored", { queue: "checkVerification" });
  call("givenUp", { key, checks: 18 });
  call("reconciled", { selected: 1, queued: 1, givenUp: 0, unlinked: 0 });
  call("reconcileSkipped", { reason: "no provider's API key is set" });
  call("started", { key, outcome: "created" });
  call("startMisconfigured", { problem: "VERIFICATION_RETURN_URL is not an https URL" });
  call("erasureStarted", { uid: "u1", reason: "account-deleted" });
  call("erasureQueued", { key, provider: "stripe", outcome: "queued" });
  call("userErased", { reason: "requested", verifications: 2 });
  const erasure = { key, provider: "stripe", attempts: 1 };
  call("erasureDone", { ...erasure, outcome: "redaction processing", stillHeld: undefined });
  call("erasureDone", { ...erasure, outcome: "none", stillHeld: "everything" });
  const failure = { ...erasure, failure: "unavailable", status: 503 };
  call("erasureRetried", failure);
  call("erasureWaiting", { ...failure, attempts: 5 });
  call("erasureFailed", persona, {
    ...failure,
    failure: "not-found",
    status: 404,
    detail: "HTTP 404",
    code: undefined,
  });
  call("erasureFailed", persona, {
    ...failure,
    failure: "rejected",
    status: 400,
    detail: "HTTP 400",
    code: "1305",
  });
  call("erasureUnnamed");
  call("erasureGivenUp", { key, checks: 18 });
  const levels = { info: "INFO", warn: "WARNING", error: "ERROR" } as const;
  return {
    called,
    methods: Object.keys(logs),
    lines: log.lines.map((line) => ({
      message: line.message,
      level: levels[line.level],
      fields: Object.keys(line.fields).sort(),
    })),
  };
}

test("the logs table in docs/operations.md lists every line logs.ts writes, as it writes it", () => {
  const documented = documentedLines();
  const { called, methods, lines } = everyLine();
  // Every method of logs.ts is called above, so a new one cannot be left out of the table.
  expect([...called].sort()).toEqual([...methods].sort());
  const rowOf = (line: (typeof lines)[number]) =>
    documented.find(
      (row) =>
        patternOf(row.message).test(line.message) &&
        row.level === line.level &&
        line.fields.every((field) => row.fields.includes(field)),
    );
  expect(lines.filter((line) => !rowOf(line))).toEqual([]);
  // And no row describes a line, or a field, that is never written.
  const written = documented.map((row) => ({
    message: row.message,
    fields: [...new Set(lines.filter((line) => rowOf(line) === row).flatMap((l) => l.fields))],
  }));
  expect(written.map((row) => ({ ...row, fields: row.fields.sort() }))).toEqual(
    documented.map(({ message, fields }) => ({ message, fields })),
  );
});
