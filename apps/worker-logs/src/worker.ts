import { QUEUES } from '@platform/contracts';
import type { BaseResources, RunningWorker } from '@platform/runtime';
import { Batcher } from './batcher.js';
import type { LogsConfig } from './config.js';
import { toLogRow, type LogRow } from './rows.js';
import { LogStore } from './store.js';

type LogsSettings = Pick<
  LogsConfig,
  'LOG_BATCH_SIZE' | 'LOG_BATCH_MAX_WAIT_MS' | 'LOG_RETENTION_DAYS' | 'LOG_PURGE_INTERVAL_MINUTES'
>;

/**
 * Consumes the `logs` queue into `audit_logs`: each message's handler adds its row to the current batch
 * and resolves when that batch commits, so the bus acks exactly the messages whose rows are stored.
 * The prefetch is twice the batch size so one batch fills while the previous one is being written.
 */
export async function startLogsWorker(
  resources: BaseResources,
  settings: LogsSettings,
): Promise<RunningWorker> {
  const { bus, orm, log, registry } = resources;
  const store = new LogStore(orm, log, registry);
  const batcher = new Batcher<LogRow>({
    maxSize: settings.LOG_BATCH_SIZE,
    maxWaitMs: settings.LOG_BATCH_MAX_WAIT_MS,
    write: (rows) => store.write(rows),
  });
  const consumer = await bus.consume(QUEUES.logs, (envelope) => batcher.add(toLogRow(envelope)), {
    prefetch: settings.LOG_BATCH_SIZE * 2,
  });

  const retentionMs = settings.LOG_RETENTION_DAYS * 86_400_000;
  const purge = async () => {
    try {
      const deleted = await store.purge(new Date(Date.now() - retentionMs));
      if (deleted > 0) log.info({ deleted, retentionDays: settings.LOG_RETENTION_DAYS }, 'purged old logs');
    } catch (error) {
      log.warn({ err: error }, 'log purge failed; trying again at the next interval');
    }
  };
  let purging = purge();
  const timer = setInterval(() => (purging = purge()), settings.LOG_PURGE_INTERVAL_MINUTES * 60_000);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      // Cancelling waits for running handlers; flushing the batch first lets them finish at once.
      const cancelled = consumer.cancel();
      await batcher.drain();
      store.stop();
      await Promise.all([cancelled, purging]);
    },
  };
}
