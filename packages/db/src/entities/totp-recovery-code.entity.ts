import { EntitySchema } from '@mikro-orm/core';
import type { User } from './user.entity.js';

/**
 * A one-time recovery code for signing in without the authenticator, stored only as a hash salted
 * with the user id (see the auth service); `usedAt` marks it spent.
 */
export class TotpRecoveryCode {
  id!: string;
  user!: User;
  codeHash!: string;
  createdAt!: Date;
  usedAt!: Date | null;
}

export const TotpRecoveryCodeSchema = new EntitySchema<TotpRecoveryCode>({
  class: TotpRecoveryCode,
  tableName: 'totp_recovery_codes',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade' },
    codeHash: { type: 'text', unique: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    usedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
