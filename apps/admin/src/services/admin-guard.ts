import { users, type EntityManager, type User } from '@platform/db';
import { Errors } from '@platform/http';

/** The account state that decides whether it counts as a working admin. */
export type AdminFacts = Pick<User, 'role' | 'status' | 'deletedAt'>;

/** An admin that can sign in and act: the ones the platform cannot run out of. */
export function isActiveAdmin(user: AdminFacts): boolean {
  return user.role === 'admin' && user.status === 'active' && user.deletedAt === null;
}

export const lastAdmin = () =>
  Errors.conflict('last_admin', 'An admin cannot remove the last remaining admin.');

/**
 * Locks every active admin row until `tx` ends and returns their ids. Each edit takes these locks
 * before it touches its target, always in id order, so two admins demoting each other at once are
 * serialised (the second one then sees a single admin and is refused) and never deadlock.
 */
export function lockActiveAdmins(tx: EntityManager): Promise<string[]> {
  return users.lockActiveAdminIds(tx);
}
