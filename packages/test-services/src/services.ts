import { randomBytes } from 'node:crypto';
import { createDatabaseIfMissing, createOrm, dropDatabase, migrateUp } from '@platform/db';

/** The backing-service URLs that the jest global setup resolved (env, testcontainers or local ports). */
export function backingServices(): { databaseUrl: string; redisUrl: string; amqpUrl: string } {
  const { DATABASE_URL, REDIS_URL, AMQP_URL } = process.env;
  if (!DATABASE_URL || !REDIS_URL || !AMQP_URL) {
    throw new Error('backing services are unresolved: run integration tests through jest (its global setup)');
  }
  return { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, amqpUrl: AMQP_URL };
}

/** A short random id, safe in database names, Redis keys and AMQP names. */
export function uniqueId(prefix = 't'): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const url = new URL(backingServices().databaseUrl);
  url.pathname = `/${uniqueId('test_')}`;
  const databaseUrl = url.toString();
  await createDatabaseIfMissing(databaseUrl);
  const orm = await createOrm({ url: databaseUrl, poolMax: 1 });
  try {
    await migrateUp(orm);
  } finally {
    await orm.close(true);
  }
  return { url: databaseUrl, drop: () => dropDatabase(databaseUrl) };
}
