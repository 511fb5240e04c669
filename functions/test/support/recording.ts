import type { Logger } from "../../src/logs";
import type { Recording } from "../../src/providers/contract";
import type { ApplyOutcome, EventSink } from "../../src/store/verification-store";

/** A logger that keeps every line, to assert on what reaches the logs (and what never does). */
export function recordingLogger() {
  const lines: { level: "info" | "warn" | "error"; message: string; fields: object }[] = [];
  const logger: Logger = {
    info: (message, fields) => lines.push({ level: "info", message, fields }),
    warn: (message, fields) => lines.push({ level: "warn", message, fields }),
    error: (message, fields) => lines.push({ level: "error", message, fields }),
  };
  return { logger, lines, text: () => JSON.stringify(lines) };
}

/**
 * The HTTP layer's port, recording what reached it, by provider; Firestore itself is tested on
 * the emulator.
 */
export function recordingSink(
  answer: () => Promise<ApplyOutcome> = () => Promise.resolve("applied"),
) {
  const byProvider: Record<string, Recording[]> = {};
  /** What reached the store for one provider, in the order it came. */
  const of = (provider: string) => (byProvider[provider] ??= []);
  /** Every recording stored, whichever the provider, in the order they came. */
  const all: Recording[] = [];
  const sink: EventSink = {
    apply: (provider, recording) => {
      of(provider).push(recording);
      all.push(recording);
      return answer();
    },
  };
  return { sink, of, all };
}
