import { EntitySchema } from '@mikro-orm/core';
import type { Session } from './session.entity.js';

/**
 * One opaque refresh token, stored only as its SHA-256. `usedAt` is set when it is rotated; presenting
 * it again after the grace window is reuse and revokes its whole session (the family).
 */
export class RefreshToken {
  id!: string;
  session!: Session;
  tokenHash!: string;
  createdAt!: Date;
  expiresAt!: Date;
  usedAt!: Date | null;
}

export const RefreshTokenSchema = new EntitySchema<RefreshToken>({
  class: RefreshToken,
  tableName: 'refresh_tokens',
  properties: {
    id: { type: 'uuid', primary: true },
    session: { kind: 'm:1', entity: 'Session', deleteRule: 'cascade' },
    tokenHash: { type: 'text', unique: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    expiresAt: { type: 'datetime', columnType: 'timestamptz' },
    usedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
});
