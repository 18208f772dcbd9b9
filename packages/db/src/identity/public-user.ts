import { avatarUrlFor, type MediaUrlSigning, type PublicUser } from '@platform/contracts';
import type { User } from '../entities/user.entity.js';

/** The one mapping from a stored user to what clients see; an uploaded avatar's URL signed by `mediaUrls`. */
export function toPublicUser(user: User, mediaUrls: MediaUrlSigning): PublicUser {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    displayName: user.displayName,
    avatarUrl: avatarUrlFor(user.avatarUrl, mediaUrls),
    status: user.statusText,
    accountStatus: user.status,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}
