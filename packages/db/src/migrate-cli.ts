// `pnpm db:migrate` and the Kubernetes migration Job: apply pending migrations, then exit.
import { z } from 'zod';
import { databaseFragment, loadConfigOrExit } from '@platform/config';
import { createDatabaseIfMissing } from './admin.js';
import { createOrm, migrateUp } from './orm.js';

const config = loadConfigOrExit(
  z.object({ ...databaseFragment, DATABASE_CREATE: z.enum(['true', 'false']).default('false') }),
);
if (config.DATABASE_CREATE === 'true') await createDatabaseIfMissing(config.DATABASE_URL);
const orm = await createOrm({ url: config.DATABASE_URL, poolMax: 1 });
try {
  const applied = await migrateUp(orm);
  process.stdout.write(applied.length ? `applied ${applied.join(', ')}\n` : 'database is up to date\n');
} finally {
  await orm.close(true);
}
