import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { InvalidEnvelopeError, withProducerSpan, type Bus, type PublishTarget } from '@platform/bus';
import type { Envelope, ExchangeName, QueueName } from '@platform/contracts';
import type { MikroORM } from '@platform/db';
import type { Logger } from '@platform/observability';

export interface OutboxRelayOptions {
  orm: MikroORM;
  bus: Bus;
  log: Logger;
  registry?: Registry;
  /** Rows claimed and published per transaction (default 100). */
  batchSize?: number;
  /** How often to look for rows nobody announced, e.g. left by a crashed replica (default 500 ms). */
  pollIntervalMs?: number;
  /** A batch whose confirms take longer is given back to the table and retried (default 10 s). */
  publishTimeoutMs?: number;
}

interface OutboxRow {
  id: string;
  target_kind: 'exchange' | 'queue';
  target_name: string;
  routing_key: string | null;
  envelope: Envelope;
  headers: Record<string, string>;
  created_at: Date;
}

/**
 * Publishes the outbox. Each pass claims the oldest rows with `FOR UPDATE SKIP LOCKED` (so any number
 * of replicas share the work without publishing a row twice at once), publishes them with confirms and
 * deletes the confirmed ones in the same transaction. If the broker is down nothing is claimed; if a
 * publish fails or times out the row stays for the next pass. A crash between confirm and commit
 * publishes the row again later: the id is the envelope id, and consumers drop duplicates by it.
 */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  private stopped = false;
  private dirty = false;
  private wake: (() => void) | null = null;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly publishTimeoutMs: number;
  private readonly published: Counter<'destination'>;
  private readonly failed: Counter<'destination'>;
  private readonly lag: Histogram;

  constructor(private readonly options: OutboxRelayOptions) {
    this.batchSize = options.batchSize ?? 100;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 10_000;
    const registers = options.registry ? [options.registry] : [];
    this.published = new Counter({
      name: 'outbox_published_total',
      help: 'Outbox rows published with a broker confirm and deleted',
      labelNames: ['destination'],
      registers,
    });
    this.failed = new Counter({
      name: 'outbox_publish_failures_total',
      help: 'Outbox rows whose publish failed or timed out; they are retried',
      labelNames: ['destination'],
      registers,
    });
    this.lag = new Histogram({
      name: 'outbox_relay_lag_seconds',
      help: 'Time from staging an event to the broker confirming it',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30, 300],
      registers,
    });
    const knex = () => options.orm.em.getKnex();
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows waiting to be published (parked rows excluded), read at scrape time',
      registers,
      async collect() {
        const [row] = await knex()('outbox').whereNull('parked_at').count({ count: '*' });
        this.set(Number(row?.count ?? 0));
      },
    });
  }

  /** Starts the publishing loop (idempotent). */
  start(): void {
    this.stopped = false;
    this.running ??= this.loop().finally(() => (this.running = null));
  }

  /** A commit wrote rows: publish now rather than at the next poll. */
  kick(): void {
    this.dirty = true;
    this.wake?.();
  }

  /** Stops after the current pass; rows not yet published stay in the table for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running;
  }

  /** Publishes until the table has nothing publishable; returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (let count = -1; count !== 0; total += count) count = await this.pass();
    return total;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      this.dirty = false;
      let count = 0;
      try {
        if (this.options.bus.isReady()) count = await this.pass();
        failures = 0;
      } catch (error) {
        failures++;
        this.options.log.warn({ err: error }, 'outbox relay pass failed');
      }
      if (this.stopped) break;
      if (count === this.batchSize || (this.dirty && failures === 0)) continue;
      await this.sleep(
        failures > 0 ? Math.min(this.pollIntervalMs * 2 ** failures, 30_000) : this.pollIntervalMs,
      );
    }
  }

  /** One transaction: claim a batch, publish it, delete what the broker confirmed. */
  private async pass(): Promise<number> {
    const knex = this.options.orm.em.getKnex();
    return knex.transaction(async (trx) => {
      const rows: OutboxRow[] = await trx('outbox')
        .select('id', 'target_kind', 'target_name', 'routing_key', 'envelope', 'headers', 'created_at')
        .whereNull('parked_at')
        .orderBy('seq')
        .limit(this.batchSize)
        .forUpdate()
        .skipLocked();
      if (rows.length === 0) return 0;
      const outcomes = await Promise.allSettled(rows.map((row) => this.publish(row)));
      const sent: string[] = [];
      for (const [index, outcome] of outcomes.entries()) {
        const row = rows[index];
        if (!row) continue;
        if (outcome.status === 'fulfilled') {
          sent.push(row.id);
          continue;
        }
        const error: unknown = outcome.reason;
        const message = error instanceof Error ? error.message : String(error);
        this.failed.inc({ destination: row.target_name });
        // A row that can never be published is parked, not retried forever ahead of the others.
        const park = error instanceof InvalidEnvelopeError;
        if (park)
          this.options.log.error({ err: error, outboxId: row.id }, 'parking an unpublishable outbox row');
        await trx('outbox')
          .where('id', row.id)
          .update({
            attempts: trx.raw('attempts + 1'),
            last_error: message.slice(0, 1_000),
            parked_at: park ? trx.fn.now() : null,
          });
      }
      if (sent.length > 0) await trx('outbox').whereIn('id', sent).delete();
      return sent.length;
    });
  }

  private async publish(row: OutboxRow): Promise<void> {
    const target: PublishTarget =
      row.target_kind === 'queue'
        ? { queue: row.target_name as QueueName }
        : { exchange: row.target_name as ExchangeName, routingKey: row.routing_key ?? row.envelope.type };
    await withProducerSpan(row.target_name, row.id, row.headers, (headers) =>
      withTimeout(this.options.bus.publish(target, row.envelope, { headers }), this.publishTimeoutMs),
    );
    this.published.inc({ destination: row.target_name });
    this.lag.observe((Date.now() - new Date(row.created_at).getTime()) / 1000);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no broker confirm within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
