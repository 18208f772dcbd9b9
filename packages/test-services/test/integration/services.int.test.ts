import pg from 'pg';
import { createTestDatabase } from '../../src/index.js';

describe('createTestDatabase', () => {
  it('creates a migrated database of its own and drops it again', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    await client.end();
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'refresh_tokens', 'mikro_orm_migrations']),
    );

    await db.drop();
    const again = new pg.Client({ connectionString: db.url });
    await expect(again.connect()).rejects.toThrow(/does not exist/);
    await again.end().catch(() => undefined);
  });
});
