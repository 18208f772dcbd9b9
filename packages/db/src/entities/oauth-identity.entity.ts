import { EntitySchema } from '@mikro-orm/core';
import type { User } from './user.entity.js';

/**
 * A sign-in through an external provider (GitHub, Google, any OIDC issuer) bound to an account. The
 * provider's `subject` is what identifies the person, never the email, which can change or be
 * reassigned at the provider; `email` is what the provider said last time, for display only.
 * One identity per provider per user, so "unlink GitHub" names exactly one row.
 */
export class OAuthIdentity {
  id!: string;
  user!: User;
  provider!: string;
  subject!: string;
  email!: string | null;
  createdAt!: Date;
  lastLoginAt!: Date | null;
}

export const OAuthIdentitySchema = new EntitySchema<OAuthIdentity>({
  class: OAuthIdentity,
  tableName: 'oauth_identities',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: 'User', deleteRule: 'cascade' },
    provider: { type: 'text' },
    subject: { type: 'text' },
    email: { type: 'text', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    lastLoginAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
  },
  uniques: [{ properties: ['provider', 'subject'] }, { properties: ['user', 'provider'] }],
});
