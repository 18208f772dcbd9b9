import { Counter, Histogram, type Registry } from 'prom-client';
import { PermanentFailure } from '@platform/bus';
import { isTransientDatabaseError, type MikroORM } from '@platform/db';
import type { Logger } from '@platform/observability';
import type { LogRow } from './rows.js';

/** Postgres rejects NUL in text and jsonb; a user agent must not be able to poison a batch with one. */
const NUL = String.fromCharCode(0);

/**
 * Writes log rows to `audit_logs`. A batch is one INSERT ... ON CONFLICT (message_id) DO NOTHING, so a
 * redelivered message adds nothing. While the database is away the write waits and tries again, holding
 * the batch's messages unacked (the prefetch limit then stops the broker sending more) instead of
 * spending their retry attempts on an outage. A batch refused for another reason is retried row by row,
 * so only the rows that really cannot be stored fail.
 */
export class LogStore {
  private stopping = false;
  private readonly batchSize: Histogram;
  private readonly inserted: Counter;
  private readonly purged: Counter;

  constructor(
    private readonly orm: MikroORM,
    private readonly log: Logger,
    registry: Registry,
  ) {
    this.batchSize = new Histogram({
      name: 'logs_batch_size',
      help: 'Rows per batch written to audit_logs',
      buckets: [1, 10, 50, 100, 250, 500, 1000],
      registers: [registry],
    });
    this.inserted = new Counter({
      name: 'logs_rows_inserted_total',
      help: 'Rows written to audit_logs (duplicates of already stored messages excluded)',
      registers: [registry],
    });
    this.purged = new Counter({
      name: 'logs_rows_purged_total',
      help: 'Rows deleted by the retention purge',
      registers: [registry],
    });
  }

  /** Stops waiting out outages: the next failure is final (messages go back to the broker). */
  stop(): void {
    this.stopping = true;
  }

  /** Stores a batch; returns a failure per row (undefined = stored). */
  async write(rows: LogRow[]): Promise<unknown[]> {
    const clean = rows.map(sanitize);
    this.batchSize.observe(clean.length);
    try {
      await this.insertWaitingOutOutages(clean);
      return [];
    } catch (error) {
      if (clean.length === 1 || isTransientDatabaseError(error)) throw error;
      this.log.warn({ err: error, rows: clean.length }, 'batch refused; storing its rows one by one');
      const failures: unknown[] = [];
      for (const row of clean) {
        failures.push(
          await this.insertWaitingOutOutages([row]).then(
            () => undefined,
            (rowError: unknown) =>
              isTransientDatabaseError(rowError)
                ? rowError
                : new PermanentFailure(`audit_logs refused the row: ${String(rowError)}`),
          ),
        );
      }
      return failures;
    }
  }

  /** Deletes rows older than `cutoff` in chunks (short transactions, no long lock); returns the count. */
  async purge(cutoff: Date, chunkSize = 10_000): Promise<number> {
    const knex = this.orm.em.getKnex();
    let total = 0;
    for (;;) {
      const deleted = await knex('audit_logs')
        .whereIn('id', knex('audit_logs').select('id').where('occurred_at', '<', cutoff).limit(chunkSize))
        .delete();
      total += deleted;
      this.purged.inc(deleted);
      if (deleted < chunkSize || this.stopping) return total;
    }
  }

  private async insertWaitingOutOutages(rows: LogRow[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.orm.em
          .getKnex()('audit_logs')
          .insert(rows)
          .onConflict('message_id')
          .ignore()
          .returning('id');
        this.inserted.inc(result.length);
        return;
      } catch (error) {
        if (!isTransientDatabaseError(error) || this.stopping) throw error;
        const delayMs = Math.min(200 * 2 ** attempt, 5_000);
        this.log.warn(
          { err: error, attempt: attempt + 1, retryInMs: delayMs },
          'database away; holding the batch',
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
}

function sanitize(row: LogRow): LogRow {
  const clean = { ...row };
  for (const key of [
    'path',
    'user_agent',
    'ip',
    'action',
    'target_id',
    'request_id',
    'before',
    'after',
  ] as const) {
    const value = clean[key];
    // In the JSON columns a NUL arrives escaped, and jsonb refuses the escape just the same.
    if (typeof value === 'string') clean[key] = value.replaceAll(NUL, '').replaceAll('\\u0000', '');
  }
  return clean;
}
