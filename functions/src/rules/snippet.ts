import type { StoreNames } from "../store/names";

/**
 * The Firestore rules this backend needs, for one instance's collections: deny by default, the
 * verifications readable by their linked user only, their audit trail by nobody, and the users'
 * records readable by their user, who may write any field but `verification`, `attempt` and
 * `documentExpiryDue`. A team merges these `match` blocks into its one rules file: where it has its
 * own rule for the same users collection, the two must become one rule with both sets of
 * conditions (any matching `allow` grants).
 */
export function rulesMatches(names: Pick<StoreNames, "verifications" | "users">): string {
  return `    // Identity verification (${names.verifications}, ${names.users}): written only by the
    // backend, through the Admin SDK, which rules do not bind.
    match /${names.verifications}/{key} {
      allow read: if request.auth != null && resource.data.uid == request.auth.uid;

      // The audit trail is for operators only.
      match /events/{eventId} {
        allow read, write: if false;
      }
    }

    // A user's own document. The backend owns \`verification\`, \`attempt\` and
    // \`documentExpiryDue\` (when an expired document is flagged); the app may let users write
    // anything else. Deleting the document would delete them too, so it is refused: erasure (a
    // deleted account, or eraseVerificationData) runs on the server only.
    match /${names.users}/{uid} {
      allow read: if request.auth != null && request.auth.uid == uid;
      allow create: if request.auth != null && request.auth.uid == uid
        && !request.resource.data.keys().hasAny(['verification', 'attempt', 'documentExpiryDue']);
      allow update: if request.auth != null && request.auth.uid == uid
        && !request.resource.data.diff(resource.data).affectedKeys()
          .hasAny(['verification', 'attempt', 'documentExpiryDue']);
    }
`;
}

/** A whole rules file with only this backend's rules: the standalone project's `firestore.rules`. */
export function rulesFile(names: Pick<StoreNames, "verifications" | "users">): string {
  return `rules_version = '2';

// Deny by default. The backend writes through the Admin SDK, which these rules do not bind.
service cloud.firestore {
  match /databases/{database}/documents {
${rulesMatches(names)}
    // Nothing else is matched, so everything else is denied.
  }
}
`;
}

/**
 * The index entries this backend needs (firestore.indexes.json's `fieldOverrides`): erasure finds
 * the links a user disputed with a collection-group query on `linkConflicts.uid`. One entry serves
 * every instance.
 */
export const INDEX_FIELD_OVERRIDES = [
  {
    collectionGroup: "linkConflicts",
    fieldPath: "uid",
    indexes: [
      { order: "ASCENDING", queryScope: "COLLECTION" },
      { order: "ASCENDING", queryScope: "COLLECTION_GROUP" },
    ],
  },
];
