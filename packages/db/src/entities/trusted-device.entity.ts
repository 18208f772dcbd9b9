import { EntitySchema } from '@mikro-orm/core';
import type { User } from './user.entity.js';

/**
 * A browser or app that completed a sign-in (or followed a mailed unlock link) for its user. Its token
 * is stored only as SHA-256; a sign-in that presents it is counted against the device's own budget
 * instead of the identifier's, so a stranger's guesses cannot lock the owner out of it.
 */
export class TrustedDevice {
  id!: string;
  user!: User;
  tokenHash!: string;
  userAgent!: string | null;
  createdAt!: Date;
  lastUsedAt!: Date;
}

export const TrustedDeviceSchema = new EntitySchema<TrustedDevice>({
  class: TrustedDevice,
  tableName: 'trusted_devices',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade' },
    tokenHash: { type: 'text', unique: true },
    userAgent: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    lastUsedAt: { type: 'datetime', columnType: 'timestamptz' },
  },
});
