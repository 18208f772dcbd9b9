import { randomBytes } from 'node:crypto';
import { createTestEnvironment, type TestEnvironment } from '@platform/testkit';

/** The local services named in the README; jest's global setup would resolve these, a bench must. */
const LOCAL = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
};

/** A `kid:base64` key ring of one fresh 32-byte key, as production's TOTP and mail-seal keys are. */
const keyRing = (kid: string) => `${kid}:${randomBytes(32).toString('base64')}`;

/**
 * What services measured as deployed (`NODE_ENV=production`) insist on, in place of the test
 * environment's cheapest hashes and missing keys: production's floors for password hashing (a bench
 * may still raise them) and fresh encryption keys for this run.
 */
const AS_DEPLOYED = {
  PASSWORD_HASH_ALGORITHM: 'argon2id',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_TIME_COST: '2',
  BCRYPT_COST: '10',
};

/**
 * An isolated world for one bench (its own migrated database, Redis prefix, AMQP namespace and JWT
 * secret), as the integration tests get one, but with the settings production insists on (see
 * AS_DEPLOYED). `close()` drops all of it; it also runs on Ctrl-C so an interrupted bench leaves
 * nothing behind.
 */
export async function isolatedEnvironment(): Promise<TestEnvironment> {
  for (const [name, url] of Object.entries(LOCAL)) process.env[name] ??= url;
  const environment = await createTestEnvironment();
  const onSignal = (signal: NodeJS.Signals) => {
    environment.close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const close = environment.close.bind(environment);
  return {
    ...environment,
    env: {
      ...environment.env,
      ...AS_DEPLOYED,
      TOTP_ENCRYPTION_KEYS: keyRing('bench'),
      EMAIL_SEAL_KEYS: keyRing('bench'),
      MEDIA_URL_SECRET: randomBytes(32).toString('base64url'),
    },
    async close() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await close();
    },
  };
}
