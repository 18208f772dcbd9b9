import { createLogger, startMetricsServer } from '@platform/observability';
import { exitOnSignals, openTokenResources, type TokenResources } from '@platform/runtime';
import type { RealtimeConfig } from './config.js';
import { startRealtime, type RunningRealtime } from './realtime.js';

/**
 * Composition root: open pools through the runtime's opener, start the instance and its metrics port,
 * and on SIGTERM stop taking sockets, close the open ones with 1001 (clients reconnect elsewhere),
 * cancel consumers, clear presence, then close the pools.
 */
export async function main(config: RealtimeConfig): Promise<void> {
  const log = createLogger('realtime', config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  let resources: TokenResources;
  try {
    resources = await openTokenResources('realtime', config, log);
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  let realtime: RunningRealtime;
  try {
    realtime = await startRealtime(config, resources);
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    await resources.close().catch(() => undefined);
    process.exit(1);
  }
  const metrics = await startMetricsServer(resources.registry, config.METRICS_PORT, config.HOST);
  exitOnSignals(
    log,
    () =>
      realtime
        .stop()
        .then(() => resources.close())
        .then(() => void metrics.close()),
    config.SHUTDOWN_GRACE_MS,
  );
}
