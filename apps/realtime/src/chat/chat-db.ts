import type { MikroORM } from '@platform/db';

/** What the chat queries run on: the pool (`orm.em.getKnex()`) or one of its transactions. */
export type Db = ReturnType<MikroORM['em']['getKnex']>;
/** A transaction on that pool (what `db.transaction(callback)` hands its callback). */
export type Trx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Values the chat queries bind; never interpolated into SQL text. A list binds as a PostgreSQL array. */
export type Binding = string | number | boolean | null | Date | string[];

/** Rows of a raw statement with `?` bindings. */
export async function rowsOf<T>(db: Db, sql: string, bindings: readonly Binding[] = []): Promise<T[]> {
  const result = (await db.raw(sql, bindings)) as { rows: T[] };
  return result.rows;
}

/** The first row of a raw statement, if any. */
export async function firstRow<T>(
  db: Db,
  sql: string,
  bindings: readonly Binding[] = [],
): Promise<T | undefined> {
  const rows = await rowsOf<T>(db, sql, bindings);
  return rows[0];
}

/** A unique violation of `constraint` (SQLSTATE 23505), as the driver reports it. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: name } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && name === constraint;
}

/** Timestamps arrive as text (the ORM's driver settings); clients get ISO 8601 in UTC. */
export function iso(value: string | Date): string {
  return new Date(value).toISOString();
}

/** bigint columns arrive as text; sequence numbers stay far below 2^53. */
export function num(value: string | number): number {
  return Number(value);
}
