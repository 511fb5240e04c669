import type { Logger } from "../../src/logs";
import type { AcceptedEvent } from "../../src/providers/passbase/event";
import type {
  ApplyOutcome,
  EventSink,
  PersonaInquiryEvent,
  StripeSessionEvent,
} from "../../src/store/verification-store";

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

/** The HTTP layer's port, recording what reached it; Firestore itself is tested on the emulator. */
export function recordingSink(
  answer: () => Promise<ApplyOutcome> = () => Promise.resolve("applied"),
) {
  const received: AcceptedEvent[] = [];
  const stripe: StripeSessionEvent[] = [];
  const persona: { event: PersonaInquiryEvent; completedMeans: string }[] = [];
  const sink: EventSink = {
    applyEvent: (accepted) => {
      received.push(accepted);
      return answer();
    },
    applyStripeEvent: (event) => {
      stripe.push(event);
      return answer();
    },
    applyPersonaEvent: (event, completedMeans) => {
      persona.push({ event, completedMeans });
      return answer();
    },
  };
  return { sink, received, stripe, persona };
}
