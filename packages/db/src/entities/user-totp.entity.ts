import { EntitySchema } from '@mikro-orm/core';

/**
 * A user's TOTP (RFC 6238) state. Secrets are stored sealed (AES-256-GCM, `v1:kid:iv:tag:ct`) by the
 * auth service, never in clear. `pendingSecretEnc` is a secret shown by setup but not yet confirmed
 * with a code; `secretEnc` with `enabledAt` set is the one sign-in asks for. Keyed by the user id
 * alone (one row per user), so it is a plain column rather than a relation.
 */
export class UserTotp {
  userId!: string;
  secretEnc!: string | null;
  pendingSecretEnc!: string | null;
  enabledAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const UserTotpSchema = new EntitySchema<UserTotp>({
  class: UserTotp,
  tableName: 'user_totp',
  properties: {
    userId: { type: 'uuid', primary: true },
    secretEnc: { type: 'text', nullable: true, hidden: true },
    pendingSecretEnc: { type: 'text', nullable: true, hidden: true },
    enabledAt: { type: 'datetime', columnType: 'timestamptz', nullable: true },
    createdAt: { type: 'datetime', columnType: 'timestamptz' },
    updatedAt: { type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() },
  },
});
