import { EntitySchema } from '@mikro-orm/core';
import { ACCOUNT_STATUSES, type AccountStatus, type Role } from '@platform/contracts';

/** The API's account states (contracts), which the column stores. */
export const USER_STATUSES = ACCOUNT_STATUSES;
export type UserStatus = AccountStatus;

/** An account. `email` is stored normalised (trimmed, case-folded) and is unique, deleted rows included. */
export class User {
  id!: string;
  email!: string;
  passwordHash!: string | null;
  role!: Role;
  status!: UserStatus;
  displayName!: string;
  avatarUrl!: string | null;
  statusText!: string | null;
  emailVerifiedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
  deletedAt!: Date | null;
}

export const UserSchema = new EntitySchema<User>({
  class: User,
  tableName: 'users',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'text', unique: true },
    passwordHash: { type: 'text', nullable: true, lazy: true, hidden: true },
    role: { type: 'text' },
    status: { type: 'text' },
    displayName: { type: 'text' },
    avatarUrl: { type: 'text', nullable: true },
    statusText: { type: 'text', nullable: true },
    emailVerifiedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() },
    deletedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
