import cors from "cors";
import type { RequestHandler } from "express";

/** Splits the CORS_ORIGINS param into origins; blank entries are dropped. */
export function parseOrigins(value: string): string[] {
  return value
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
}

/**
 * CORS for browser-facing routes only, from an allowlist read at request time. An origin not on
 * the list gets no CORS headers, so the browser blocks the response; an empty list allows none.
 * (A sample that applies `cors({ origin: true })` to everything lets any site read any answer
 * with the user's credentials.)
 */
export function browserCors(origins: () => string, methods: string[]): RequestHandler {
  return cors((_req, callback) => {
    const allowed = parseOrigins(origins());
    callback(null, {
      origin: allowed.length > 0 ? allowed : false,
      methods,
      allowedHeaders: ["Authorization"],
      maxAge: 600,
    });
  });
}
