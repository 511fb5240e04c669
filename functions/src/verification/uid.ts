/**
 * Whether a value can be a Firebase Auth uid that names a document: 1 to 128 characters, no `/`,
 * and not `.`, `..` or `__…__` (Firestore reserves those ids). A uid that reaches a document path
 * is checked first, so that bad data can never make a write fail again and again.
 */
export function isUsableUid(value: unknown): value is string {
  return (
    typeof value === "string" &&
    value.length >= 1 &&
    value.length <= 128 &&
    !value.includes("/") &&
    value !== "." &&
    value !== ".." &&
    !/^__.*__$/.test(value)
  );
}
