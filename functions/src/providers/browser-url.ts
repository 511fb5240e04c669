/**
 * What may reach a browser as a page to open, or a provider as a way back: an https URL, or an
 * http one to this machine (the emulators). Never `javascript:`, `data:` or plain http, which
 * would run in the app's origin or travel in the clear. The one rule for every URL a provider's
 * API returns and every return URL the deployment configures; the web client checks it again.
 */
export const BROWSER_URL_SHAPE =
  "(https://[^\\s/?#]+|http://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?)([/?#][^\\s]*)?";
const BROWSER_URL = new RegExp(`^${BROWSER_URL_SHAPE}$`);

/** Whether `value` is such a URL, as a browser would parse it too. */
export function isBrowserUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > 2048 || !BROWSER_URL.test(value)) return false;
  try {
    const { protocol, hostname } = new URL(value);
    return (
      protocol === "https:" ||
      (protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(hostname))
    );
  } catch {
    return false;
  }
}

/**
 * A configured return URL (VERIFICATION_RETURN_URL, or a provider's own), checked on each use
 * (a value in functions/.env is not checked at deploy): a URL, none (empty), or why it is
 * refused, so that a wrong one fails closed.
 */
export function returnUrlOf(
  raw: string,
  name = "VERIFICATION_RETURN_URL",
): { url: string | undefined } | { problem: string } {
  const value = raw.trim();
  if (value === "") return { url: undefined };
  return isBrowserUrl(value)
    ? { url: value }
    : { problem: `${name} is not an https URL (http only to localhost)` };
}
