import { z } from "zod";

/** Identity statuses as Passbase's Verification API gives them. */
export const identityStatuses = [
  "created",
  "processing",
  "pending",
  "approved",
  "declined",
] as const;

// Lenient where Passbase may add or omit things; strict only on what this backend relies on.
const unixSeconds = z.int().min(0).max(253_402_300_799);
export const identitySchema = z.object({
  id: z.string(),
  status: z.enum(identityStatuses),
  score: z.number().min(0).max(1).nullish(),
  created: unixSeconds.nullish(),
  updated: unixSeconds.nullish(),
  owner: z
    .object({
      email: z.string().nullish(),
      first_name: z.string().nullish(),
      last_name: z.string().nullish(),
    })
    .nullish(),
  resources: z.array(z.object({ type: z.string() })).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

/** An identity from `GET /identities/{id}`, reduced to the fields this backend reads. */
export type Identity = z.infer<typeof identitySchema>;

/**
 * What is stored about an identity: the minimum an app needs after a review. Document numbers,
 * dates of birth and the other datapoints are never copied; the owner's name and e-mail only when
 * the operator opts in.
 */
export interface IdentityProjection {
  status: Identity["status"];
  score: number | null;
  resourceTypes: string[];
  metadata: Record<string, unknown> | null;
  owner?: { email: string | null; firstName: string | null; lastName: string | null };
}

/** Projects an identity onto what is stored. */
export function projectIdentity(identity: Identity, includeOwner: boolean): IdentityProjection {
  const projection: IdentityProjection = {
    status: identity.status,
    score: identity.score ?? null,
    resourceTypes: [...new Set((identity.resources ?? []).map((r) => r.type))],
    metadata: identity.metadata ?? null,
  };
  if (includeOwner) {
    projection.owner = {
      email: identity.owner?.email ?? null,
      firstName: identity.owner?.first_name ?? null,
      lastName: identity.owner?.last_name ?? null,
    };
  }
  return projection;
}

/** The app's user id, if the client SDK passed it as `metaData` (returned as `metadata`). */
export function metadataUid(identity: Identity, field: string): string | undefined {
  const value = identity.metadata?.[field];
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
