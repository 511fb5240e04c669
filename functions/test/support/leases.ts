import type { Lease, StartLeases } from "../../src/store/starts";

/**
 * Leases in memory, as the Firestore adapter keeps them: one holder per user and provider, and
 * only the holder releases. `log` records each take and release, in order.
 */
export function memoryLeases(): StartLeases & { held: Map<string, string>; log: string[] } {
  const held = new Map<string, string>();
  const log: string[] = [];
  let next = 0;
  return {
    held,
    log,
    acquire: (uid, provider) => {
      const id = `${provider}:${uid}`;
      if (held.has(id)) return Promise.resolve(undefined);
      const lease: Lease = { uid, provider, holder: `h${++next}` };
      held.set(id, lease.holder);
      log.push(`take ${id}`);
      return Promise.resolve(lease);
    },
    release: ({ uid, provider, holder }) => {
      const id = `${provider}:${uid}`;
      if (held.get(id) === holder) {
        held.delete(id);
        log.push(`release ${id}`);
      }
      return Promise.resolve();
    },
  };
}
