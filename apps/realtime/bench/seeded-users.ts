import type { UserDirectory } from '../src/users/user-directory.js';

/**
 * Chat's view of users for the benches that drive ChatService directly: the accounts the bench seeded,
 * all active. The benches measure history and the archive, not users' GetUsers (that has its own bench
 * in the gRPC section), and in production these answers come from the directory's cache anyway.
 */
export function seededUsers(): UserDirectory & { add(id: string, displayName?: string): void } {
  const names = new Map<string, string>();
  return {
    add: (id, displayName = id) => void names.set(id, displayName),
    activeIds: (ids) => Promise.resolve(new Set(ids.filter((id) => names.has(id)))),
    displayNames: (ids) =>
      Promise.resolve(new Map(ids.flatMap((id) => (names.has(id) ? [[id, names.get(id) ?? id]] : [])))),
  };
}
