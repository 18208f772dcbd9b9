import { createDatabaseIfMissing, createOrm, migrateUp } from '@platform/db';

/** Creates the database when missing and applies pending migrations; returns their names. */
export async function prepareDatabase(url: string): Promise<string[]> {
  await createDatabaseIfMissing(url);
  const orm = await createOrm({ url, poolMax: 1 });
  try {
    return await migrateUp(orm);
  } finally {
    await orm.close(true);
  }
}
