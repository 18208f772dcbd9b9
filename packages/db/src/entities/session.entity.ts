import { EntitySchema } from '@mikro-orm/core';
import type { User } from './user.entity.js';

/**
 * A login: one device's refresh-token family. Revoking it ends every refresh token in the family and,
 * through the denylist, every access token that carries its id as `sid`.
 */
export class Session {
  id!: string;
  user!: User;
  userAgent!: string | null;
  ip!: string | null;
  remember!: boolean;
  createdAt!: Date;
  /** When the user last proved who they are in this session: sign-in, then every re-authentication. */
  authenticatedAt!: Date;
  lastUsedAt!: Date;
  expiresAt!: Date;
  revokedAt!: Date | null;
  revokedReason!: string | null;
}

export const SessionSchema = new EntitySchema<Session>({
  class: Session,
  tableName: 'sessions',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade' },
    userAgent: { type: 'text', nullable: true },
    ip: { type: 'text', nullable: true },
    remember: { type: 'boolean' },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    authenticatedAt: { type: 'datetime', columnType: 'timestamptz' },
    lastUsedAt: { type: 'datetime', columnType: 'timestamptz' },
    expiresAt: { type: 'datetime', columnType: 'timestamptz' },
    revokedAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    revokedReason: { type: 'text', nullable: true },
  },
});
