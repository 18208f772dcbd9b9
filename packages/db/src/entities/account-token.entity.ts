import { EntitySchema } from '@mikro-orm/core';
import type { User } from './user.entity.js';

/** What a mailed, single-use token proves. */
export type AccountTokenPurpose = 'verify_email' | 'password_reset' | 'email_revert' | 'unlock';

/**
 * A single-use token sent by mail (email verification, password reset, undoing an email change,
 * unlock after a lockout), stored only as its SHA-256. `email` is the address it was sent to: a
 * token stops working if the account's address changed since, except `email_revert`, which exists
 * to undo such a change.
 */
export class AccountToken {
  id!: string;
  user!: User;
  purpose!: AccountTokenPurpose;
  tokenHash!: string;
  email!: string;
  createdAt!: Date;
  expiresAt!: Date;
  usedAt!: Date | null;
}

export const AccountTokenSchema = new EntitySchema<AccountToken>({
  class: AccountToken,
  tableName: 'account_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade' },
    purpose: { type: 'text' },
    tokenHash: { type: 'text', unique: true },
    email: { type: 'text' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    expiresAt: { type: 'datetime', columnType: 'timestamptz' },
    usedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
