import { randomUUID } from "node:crypto";
import { PERSON } from "../../../../scripts/dev/person.cjs";
import { encryptPayload } from "../crypto";
import type { ProviderKit, Sent } from "../../../../test/support/kits";
import { createPassbaseModule } from "../module";

/** A plain webhook payload as Passbase sends it (before encryption). */
export interface Payload {
  event: string;
  key: string;
  status?: string;
  created?: number;
  updated?: number;
  processed?: number;
  [extra: string]: unknown;
}

/** A status event's payload: every field Passbase sends. */
export interface StatusPayload extends Payload {
  status: string;
  created: number;
  updated: number;
  processed: number;
}

/** Passbase's two events for one identity, COMPLETED first in time, as its docs describe them. */
export function lifecycle(
  key: string = randomUUID(),
  decision: "approved" | "declined" = "approved",
): { completed: StatusPayload; reviewed: StatusPayload } {
  const created = 1_700_000_000;
  return {
    completed: {
      event: "VERIFICATION_COMPLETED",
      key,
      status: "pending",
      created,
      updated: created + 60,
      processed: created + 60,
    },
    reviewed: {
      event: "VERIFICATION_REVIEWED",
      key,
      status: decision,
      created,
      updated: created + 3600,
      processed: created + 3600,
    },
  };
}

/** The body Passbase would POST for this payload, encrypted with the given secret. */
export function encryptedBody(payload: Payload | string, secret: string): string {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload);
  return encryptPayload(text, Buffer.from(secret, "utf8"));
}

/** Unix seconds to the milliseconds a Firestore Timestamp reports. */
export const millis = (unixSeconds: number | undefined) => (unixSeconds ?? NaN) * 1000;

/** Flips the lowest bit of one byte of a base64 body (negative offsets count from the end). */
export function flip(body: string, offset: number): string {
  const bytes = Buffer.from(body, "base64");
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes.writeUInt8(bytes.readUInt8(at) ^ 1, at);
  return bytes.toString("base64");
}

/** An identity as Passbase's API returns it, personal data included. */
export function apiIdentity(key: string, status: string, metadata: object | null = null) {
  return {
    id: key,
    status,
    score: 0.91,
    created: 1_700_000_000,
    updated: 1_700_003_600,
    owner: { email: "jane.doe@example.com", first_name: "Jane", last_name: "Doe" },
    resources: [
      {
        type: "PASSPORT",
        datapoints: {
          document_number: PERSON.documentNumber,
          date_of_birth: "1990-02-14",
          date_of_expiry: PERSON.documentExpiresOn,
          document_origin_country: "DEU",
          first_names: PERSON.givenName,
          last_name: PERSON.familyName,
        },
      },
    ],
    metadata,
  };
}
const NONE = { value: () => "" };

/** A delivery to Passbase's route, encrypted as Passbase encrypts. */
const passbaseSent = (event: Payload, secret: string): Sent => ({
  path: "/webhooks",
  body: encryptedBody(event, secret.padEnd(32, "x").slice(0, 32)),
  headers: { "Content-Type": "text/plain" },
});

/** Passbase for the suites every provider must pass: its delivery is encrypted, not signed. */
export const kit: ProviderKit = {
  secret: "0123456789abcdef0123456789abcdef",
  secretName: "PASSBASE_WEBHOOK_SECRET",
  deployed: {
    params: [
      "PASSBASE_ALLOW_UNENCRYPTED",
      "PASSBASE_API_BASE_URL",
      "PASSBASE_STORE_OWNER",
      "PASSBASE_METADATA_UID_FIELD",
    ],
    api: ["PASSBASE_SECRET_API_KEY"],
  },
  defaults: { allowUnencrypted: false },
  module: (settings) =>
    createPassbaseModule({
      webhookSecret: { value: () => settings().webhookSecret },
      allowUnencrypted: { value: () => settings().allowUnencrypted === true },
      apiKey: NONE,
      apiBaseUrl: NONE,
      storeOwner: { value: () => false },
      metadataUidField: { value: () => "uid" },
    }),
  newId: () => randomUUID(),
  deliver: (id, secret) => passbaseSent(lifecycle(id).completed, secret),
  stage: (id, secret, stage, at) => {
    const { completed, reviewed } = lifecycle(id);
    const event = stage === "VERIFICATION_REVIEWED" ? reviewed : completed;
    return passbaseSent({ ...event, created: at, updated: at, processed: at }, secret);
  },
  decide: (id, secret, decision, at) => {
    const { reviewed } = lifecycle(id, decision);
    return passbaseSent({ ...reviewed, created: at, updated: at, processed: at }, secret);
  },
  life: (id, secret) => {
    const { completed, reviewed } = lifecycle(id);
    return {
      sent: [completed, reviewed].map((event) => passbaseSent(event, secret)),
      kept: 2,
      holds: { status: "approved" },
    };
  },
  apiAnswer: (id, decision) => apiIdentity(id, decision),
  erased: { outcome: "none", stillHeld: /Passbase/ },
  ignored: (id, secret) =>
    passbaseSent({ ...lifecycle(id).completed, event: "SOMETHING_NEW" }, secret),
  rotation: (newest, older) => `${newest}
${older}`,
  personalData: /Jane|Doe|\b1990\b|Zebedee|Quillfeather/,
  facts: {
    ageOver: { "18": true, "21": true },
    documentExpiresOn: PERSON.documentExpiresOn,
    issuingCountry: "DE",
    documentType: "passport",
  },
};
