import type { Auth } from "firebase-admin/auth";
import type { Firestore } from "firebase-admin/firestore";
import type { Logs } from "../logs";
import { createIdentityStore } from "../store/identities";
import { createLinkStore } from "../store/links";
import { createUserExists } from "../store/users";
import { createVerificationStore } from "../store/verification-store";
import { createDetailsFetcher } from "./fetch-details";
import { createReconciler } from "./reconcile";

/**
 * The stores and services behind details and reconciliation, built the same way for the
 * deployed functions and for the operator's `npm run reconcile`.
 */
export function createDetailsServices(deps: {
  db: () => Firestore;
  auth: () => Auth;
  logs: Logs;
  uidField: () => string;
  includeOwner: () => boolean;
}) {
  const events = createVerificationStore(deps.db);
  const links = createLinkStore(deps.db);
  const details = createDetailsFetcher({
    identities: createIdentityStore(deps.db),
    links,
    uidField: deps.uidField,
    userExists: createUserExists(deps.auth),
    includeOwner: deps.includeOwner,
    logs: deps.logs,
  });
  const reconciler = createReconciler({ db: deps.db, events, details, logs: deps.logs });
  return { events, links, details, reconciler };
}
