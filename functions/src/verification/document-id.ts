/**
 * Whether a value can name a Firestore document: 1 to 1,500 bytes, no `/`, and not `.`, `..` or
 * `__…__` (Firestore refuses those). Every id a provider's delivery names (its verification, its
 * audit entry) is checked when the delivery is read, whichever provider sent it, so that a signed
 * but unstorable id is refused once, not answered 503 for ever.
 */
export function isDocumentId(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length >= 1 &&
    new TextEncoder().encode(value).length <= 1500 &&
    !value.includes("/") &&
    value !== "." &&
    value !== ".." &&
    !/^__.*__$/.test(value)
  );
}
