import { avatarUrlFor, type MediaUrlSigning, type PublicUser } from '@platform/contracts';
import type { User } from '../entities/user.entity.js';

/** The stored fields that what clients see is made of: an entity, or a row read without one. */
export type PublicUserSource = Pick<
  User,
  | 'id'
  | 'email'
  | 'role'
  | 'status'
  | 'displayName'
  | 'avatarUrl'
  | 'statusText'
  | 'emailVerifiedAt'
  | 'createdAt'
>;

/** The stored fields of another user's card (the directory's batched reads): no email, no settings. */
export type UserCardSource = Pick<User, 'id' | 'role' | 'status' | 'displayName' | 'avatarUrl' | 'createdAt'>;

/** The one mapping from a stored user to what clients see; an uploaded avatar's URL signed by `mediaUrls`. */
export function toPublicUser(user: PublicUserSource, mediaUrls: MediaUrlSigning): PublicUser {
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
