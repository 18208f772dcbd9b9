import type { PublicUser } from '@platform/contracts';
import type { User } from '../entities/user.entity.js';

/** The one mapping from a stored user to what clients see. */
export function toPublicUser(user: User): PublicUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    status: user.statusText,
    accountStatus: user.status,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}
