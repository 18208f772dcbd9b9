import { randomUUID } from 'node:crypto';
import type { Role } from '@platform/contracts';
import type { User } from './entities/user.entity.js';

/** The stored fields of a new, active, unverified account; pass the result to `em.create(User, ...)`. */
export function newUserData(fields: {
  email: string;
  role: Role;
  displayName: string;
  passwordHash: string | null;
  createdAt?: Date;
}): User {
  const now = fields.createdAt ?? new Date();
  return {
    id: randomUUID(),
    email: fields.email,
    passwordHash: fields.passwordHash,
    role: fields.role,
    status: 'active',
    displayName: fields.displayName,
    avatarUrl: null,
    statusText: null,
    emailVerifiedAt: null,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  };
}
