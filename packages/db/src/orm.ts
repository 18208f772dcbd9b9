import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { AccountTokenSchema } from './entities/account-token.entity.js';
import { MediaSchema } from './entities/media.entity.js';
import { NotificationSchema } from './entities/notification.entity.js';
import { OAuthIdentitySchema } from './entities/oauth-identity.entity.js';
import { OutboxMessageSchema } from './entities/outbox-message.entity.js';
import { RefreshTokenSchema } from './entities/refresh-token.entity.js';
import { SessionSchema } from './entities/session.entity.js';
import { TotpRecoveryCodeSchema } from './entities/totp-recovery-code.entity.js';
import { TrustedDeviceSchema } from './entities/trusted-device.entity.js';
import { UserTotpSchema } from './entities/user-totp.entity.js';
import { UserSchema } from './entities/user.entity.js';
import { migrationsList } from './migrations/index.js';

export interface DatabaseOptions {
  url: string;
  poolMax?: number;
  debug?: boolean;
}

export const entities = [
  UserSchema,
  SessionSchema,
  RefreshTokenSchema,
  OutboxMessageSchema,
  AccountTokenSchema,
  UserTotpSchema,
  TotpRecoveryCodeSchema,
  NotificationSchema,
  OAuthIdentitySchema,
  TrustedDeviceSchema,
  MediaSchema,
];

/** MikroORM options for one database URL; shared by services, the migrate CLI and tests. */
export function ormOptions({ url, poolMax = 10, debug = false }: DatabaseOptions): Options {
  return {
    clientUrl: url,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    pool: { min: 0, max: poolMax },
    debug,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    discovery: { warnWhenNoEntities: false },
    // No entity is ever loaded implicitly by a getter; keeps queries visible in the code.
    forceEntityConstructor: false,
  };
}

/** Connects; the caller owns `close()`. */
export async function createOrm(options: DatabaseOptions): Promise<MikroORM> {
  return MikroORM.init(ormOptions(options));
}

/** Applies pending migrations and returns their names. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}

export type { MikroORM };
