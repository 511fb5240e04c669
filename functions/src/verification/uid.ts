import { isDocumentId } from "./document-id";

/**
 * Whether a value can be a Firebase Auth uid that names a document: 1 to 128 characters that
 * Firestore takes as a document id. A uid that reaches a document path is checked first, so that
 * bad data can never make a write fail again and again.
 */
export function isUsableUid(value: unknown): value is string {
  return isDocumentId(value) && value.length <= 128;
}
