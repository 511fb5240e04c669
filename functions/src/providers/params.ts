/**
 * A secret as configured: surrounding white space trimmed, such as the newline that
 * `echo … | firebase functions:secrets:set` stores. An empty result means "not configured", and
 * every route and client treats it so: a secret of only white space never signs or opens anything.
 */
export const secretValue = (secret: { value(): string }): string => secret.value().trim();

/**
 * A secret that holds several values during a rotation (one per line, or separated as told),
 * newest first, each read as `secretValue` reads one: blank ones are not there.
 */
export const secretValues = (secret: { value(): string }, separator = "\n"): string[] =>
  secret
    .value()
    .split(separator)
    .map((value) => value.trim())
    .filter((value) => value.length > 0);

/**
 * The deploy prompt's check of an API's base URL: https, or plain http to a stand-in on this
 * machine (the local stack's); no query or fragment; with `path` "no path", the host alone.
 */
export function apiUrlInput(example: string, path: "a path" | "no path") {
  const host = "(https://[^\\s/?#]+|http://(127\\.0\\.0\\.1|localhost)(:\\d+)?)";
  return {
    text: {
      validationRegex: `^${host}${path === "a path" ? "(/[^\\s?#]*)?" : "/?"}$`,
      validationErrorMessage: `Enter an https:// URL ${
        path === "a path" ? "without query or fragment" : "without a path"
      }, e.g. ${example}.`,
    },
  };
}
