import { randomUUID } from "node:crypto";
import type { StoreNames } from "../store/names";

/**
 * This backend's rules cases, run against any rules file on the Firestore emulator: the ones the
 * project's own suite runs on `firestore.rules`, and those `check-rules` runs on a team's merged
 * file. Each case is one client request, as a user or signed out, that the rules must allow or
 * deny. They speak the emulator's REST API with unsigned ID tokens (the emulator takes them), so
 * that they run with this package's own dependencies.
 */

/** Who makes a request: the record's owner, another user, a new user, or nobody signed in. */
type Who = "owner" | "other" | "newcomer" | "anonymous";

interface RulesCase {
  name: string;
  as: Who;
  op: "get" | "list" | "set" | "create" | "update" | "delete";
  /** The document (or, for `list`, the collection) relative to the database's documents. */
  path: (ids: Ids, names: Pick<StoreNames, "verifications" | "users" | "starts">) => string;
  /** For writes: the fields, nested as Firestore stores them. */
  data?: Record<string, unknown>;
  /** For `update`: the field paths written (the rest is kept). */
  mask?: string[];
  expect: "allow" | "deny";
}

/** The ids one run seeds: fresh ones, so that runs never meet. */
interface Ids {
  owner: string;
  other: string;
  newcomer: string;
  linked: string;
  unlinked: string;
  erased: string;
}

const verification = (key: string) => ({ key, status: "approved", reviewedAt: null });

/** The cases, by the name `check-rules` reports them under. */
export const RULES_CASES: readonly RulesCase[] = [
  // The users' records.
  {
    name: "the owner reads their user record",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.users}/${i.owner}`,
    expect: "allow",
  },
  {
    name: "another user cannot read a user record",
    as: "other",
    op: "get",
    path: (i, n) => `${n.users}/${i.owner}`,
    expect: "deny",
  },
  {
    name: "a signed-out client cannot read a user record",
    as: "anonymous",
    op: "get",
    path: (i, n) => `${n.users}/${i.owner}`,
    expect: "deny",
  },
  {
    name: "the owner writes their own fields (update)",
    as: "owner",
    op: "update",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { displayName: "Al" },
    mask: ["displayName"],
    expect: "allow",
  },
  {
    name: "nobody writes `verification`, not even its owner (update)",
    as: "owner",
    op: "update",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { verification: { status: "declined" } },
    mask: ["verification.status"],
    expect: "deny",
  },
  {
    name: "nobody replaces `verification`, not even its owner",
    as: "owner",
    op: "update",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { verification: null },
    mask: ["verification"],
    expect: "deny",
  },
  {
    name: "nobody writes `attempt`, not even its owner",
    as: "owner",
    op: "update",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { attempt: { status: "pending" } },
    mask: ["attempt"],
    expect: "deny",
  },
  {
    // It says when an expired document is flagged: deleting it would escape the flag.
    name: "nobody writes `documentExpiryDue`, not even its owner",
    as: "owner",
    op: "update",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { documentExpiryDue: null },
    mask: ["documentExpiryDue"],
    expect: "deny",
  },
  {
    name: "the owner cannot overwrite their record whole (it drops `verification`)",
    as: "owner",
    op: "set",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { displayName: "Al" },
    expect: "deny",
  },
  {
    name: "a new user cannot create their record with `verification`",
    as: "newcomer",
    op: "create",
    path: (i, n) => `${n.users}/${i.newcomer}`,
    data: { verification: { status: "approved" } },
    expect: "deny",
  },
  {
    name: "a new user cannot create their record with `attempt`",
    as: "newcomer",
    op: "create",
    path: (i, n) => `${n.users}/${i.newcomer}`,
    data: { attempt: { status: "pending" } },
    expect: "deny",
  },
  {
    name: "a new user cannot create their record with `documentExpiryDue`",
    as: "newcomer",
    op: "create",
    path: (i, n) => `${n.users}/${i.newcomer}`,
    data: { documentExpiryDue: null },
    expect: "deny",
  },
  {
    name: "a new user creates their record",
    as: "newcomer",
    op: "create",
    path: (i, n) => `${n.users}/${i.newcomer}`,
    data: { displayName: "Carol" },
    expect: "allow",
  },
  {
    name: "another user cannot write a user record",
    as: "other",
    op: "update",
    path: (i, n) => `${n.users}/${i.owner}`,
    data: { displayName: "x" },
    mask: ["displayName"],
    expect: "deny",
  },
  {
    name: "a signed-out client cannot write a user record",
    as: "anonymous",
    op: "set",
    path: (i, n) => `${n.users}/${i.other}`,
    data: { displayName: "x" },
    expect: "deny",
  },
  {
    name: "nobody deletes a user record, not even its owner (erasure runs on the server)",
    as: "owner",
    op: "delete",
    path: (i, n) => `${n.users}/${i.owner}`,
    expect: "deny",
  },
  // The verifications.
  {
    name: "a user reads the verification linked to them",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.linked}`,
    expect: "allow",
  },
  {
    name: "another user cannot read a verification",
    as: "other",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.linked}`,
    expect: "deny",
  },
  {
    name: "a signed-out client cannot read a verification",
    as: "anonymous",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.linked}`,
    expect: "deny",
  },
  {
    name: "nobody reads a verification linked to no one",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.unlinked}`,
    expect: "deny",
  },
  {
    name: "nobody reads an erased verification",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.erased}`,
    expect: "deny",
  },
  {
    name: "nobody lists the verifications",
    as: "owner",
    op: "list",
    path: (_i, n) => n.verifications,
    expect: "deny",
  },
  {
    name: "nobody writes a verification, not even its linked user",
    as: "owner",
    op: "update",
    path: (i, n) => `${n.verifications}/${i.linked}`,
    data: { status: "approved" },
    mask: ["status"],
    expect: "deny",
  },
  {
    name: "nobody creates a verification",
    as: "owner",
    op: "create",
    path: (i, n) => `${n.verifications}/${i.newcomer}`,
    data: { uid: "x" },
    expect: "deny",
  },
  {
    name: "nobody deletes a verification",
    as: "owner",
    op: "delete",
    path: (i, n) => `${n.verifications}/${i.linked}`,
    expect: "deny",
  },
  {
    name: "nobody reads a verification's audit trail, not even its linked user",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.linked}/events/e1`,
    expect: "deny",
  },
  {
    name: "nobody lists a verification's audit trail",
    as: "owner",
    op: "list",
    path: (i, n) => `${n.verifications}/${i.linked}/events`,
    expect: "deny",
  },
  {
    name: "nobody writes a verification's audit trail",
    as: "owner",
    op: "create",
    path: (i, n) => `${n.verifications}/${i.linked}/events/e2`,
    data: { event: "X" },
    expect: "deny",
  },
  {
    name: "nobody reads a verification's disputes",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.verifications}/${i.linked}/linkConflicts/${i.other}`,
    expect: "deny",
  },
  {
    name: "nobody lists a verification's disputes",
    as: "owner",
    op: "list",
    path: (i, n) => `${n.verifications}/${i.linked}/linkConflicts`,
    expect: "deny",
  },
  // The start leases.
  {
    name: "nobody reads a start lease",
    as: "owner",
    op: "get",
    path: (i, n) => `${n.starts}/a-provider:${i.owner}`,
    expect: "deny",
  },
  {
    name: "nobody deletes a start lease",
    as: "owner",
    op: "delete",
    path: (i, n) => `${n.starts}/a-provider:${i.owner}`,
    expect: "deny",
  },
];

/** One case's outcome. */
export interface CaseResult {
  name: string;
  expected: "allow" | "deny";
  got: "allow" | "deny";
  ok: boolean;
}

/** A Firestore REST value, from a plain one. */
function value(v: unknown): unknown {
  if (v === null) return { nullValue: null };
  if (typeof v === "string") return { stringValue: v };
  if (typeof v === "boolean") return { booleanValue: v };
  if (typeof v === "number") {
    return Number.isInteger(v) ? { integerValue: String(v) } : { doubleValue: v };
  }
  return { mapValue: { fields: fields(v as Record<string, unknown>) } };
}
const fields = (data: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(data).map(([k, v]) => [k, value(v)]));

/** An unsigned ID token for `uid`, which the emulator takes as a signed-in user's. */
function idToken(project: string, uid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: "none", typ: "JWT" })}.${part({
    iss: `https://securetoken.google.com/${project}`,
    aud: project,
    sub: uid,
    user_id: uid,
    iat: now,
    exp: now + 3600,
    auth_time: now,
    firebase: { sign_in_provider: "custom", identities: {} },
  })}.`;
}

/**
 * Runs every case against `rules` on the Firestore emulator at `host` (host:port), under its own
 * project id (`project`, a `demo-` one), seeding fresh documents with the rules bypassed.
 */
export async function checkRules(options: {
  rules: string;
  host: string;
  project: string;
  names: Pick<StoreNames, "verifications" | "users" | "starts">;
}): Promise<CaseResult[]> {
  const { rules, host, project, names } = options;
  const base = `http://${host}/v1/projects/${project}/databases/(default)/documents`;
  const loaded = await fetch(`http://${host}/emulator/v1/projects/${project}:securityRules`, {
    method: "PUT",
    body: JSON.stringify({ rules: { files: [{ name: "firestore.rules", content: rules }] } }),
  });
  if (!loaded.ok) {
    throw new Error(`the emulator refused the rules: ${(await loaded.text()).slice(0, 2000)}`);
  }
  const run = randomUUID().slice(0, 8);
  const ids: Ids = {
    owner: `owner-${run}`,
    other: `other-${run}`,
    newcomer: `newcomer-${run}`,
    linked: `linked-${run}`,
    unlinked: `unlinked-${run}`,
    erased: `erased-${run}`,
  };
  const request = (
    who: Who | "admin",
    method: string,
    path: string,
    body?: object,
    as: Ids = ids,
  ) =>
    fetch(`${base}/${path}`, {
      method,
      headers: {
        "Content-Type": "application/json",
        ...(who === "anonymous"
          ? {}
          : { Authorization: `Bearer ${who === "admin" ? "owner" : idToken(project, as[who])}` }),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const seed = async (path: string, data: Record<string, unknown>) => {
    const res = await request("admin", "PATCH", path, { fields: fields(data) });
    if (!res.ok) throw new Error(`could not seed ${path}: HTTP ${res.status}`);
  };
  await seed(`${names.verifications}/${ids.linked}`, { uid: ids.owner, provider: "a-provider" });
  await seed(`${names.verifications}/${ids.linked}/events/e1`, { event: "X" });
  await seed(`${names.verifications}/${ids.linked}/linkConflicts/${ids.other}`, { by: "metadata" });
  await seed(`${names.verifications}/${ids.unlinked}`, { note: "not linked" });
  await seed(`${names.verifications}/${ids.erased}`, { provider: "a-provider", erasedAt: 1 });
  await seed(`${names.starts}/a-provider:${ids.owner}`, { until: 1 });
  await seed(`${names.users}/${ids.owner}`, {
    displayName: "Alice",
    verification: verification(ids.linked),
  });
  await seed(`${names.users}/${ids.other}`, { displayName: "Bob" });

  const results: CaseResult[] = [];
  for (const [index, c] of RULES_CASES.entries()) {
    // A new user of its own for each case: a create the rules wrongly allow leaves no document
    // in the next case's way.
    const caseIds = { ...ids, newcomer: `${ids.newcomer}-${index}` };
    const path = c.path(caseIds, names);
    const body = c.data ? { fields: fields(c.data) } : undefined;
    const query = new URLSearchParams();
    if (c.op === "create") query.set("currentDocument.exists", "false");
    if (c.op === "update") {
      query.set("currentDocument.exists", "true");
      for (const field of c.mask ?? []) query.append("updateMask.fieldPaths", field);
    }
    const method = {
      get: "GET",
      list: "GET",
      set: "PATCH",
      create: "PATCH",
      update: "PATCH",
      delete: "DELETE",
    }[c.op];
    const suffix = query.size > 0 ? `?${query.toString()}` : "";
    const res = await request(c.as, method, `${path}${suffix}`, body, caseIds);
    // A refusal by the rules is 403; anything else but success is the check's own failure.
    if (!res.ok && res.status !== 403) {
      throw new Error(`"${c.name}": HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
    }
    const got = res.ok ? "allow" : "deny";
    results.push({ name: c.name, expected: c.expect, got, ok: got === c.expect });
  }
  return results;
}
