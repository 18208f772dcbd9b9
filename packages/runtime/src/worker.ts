import { listen, createProbeApp, exitOnSignals, type RunningServer } from '@platform/http';
import { createLogger, startMetricsServer, type Logger } from '@platform/observability';
import type { WorkerConfig } from './config.js';
import { openBaseResources, type BaseResources } from './resources.js';

/** A started worker: `stop` cancels its consumers and settles what they hold (flushes a batch, ...). */
export interface RunningWorker {
  stop(): Promise<void>;
  /** Extra readiness checks besides database and broker. */
  readiness?: BaseResources['readiness'];
}

export type WorkerStarter = (resources: BaseResources) => Promise<RunningWorker>;

/** A worker running inside a test or the launcher: its probe server and a full stop. */
export interface StartedWorker {
  resources: BaseResources;
  probe: RunningServer;
  stop(): Promise<void>;
}

/**
 * Starts a worker with its probe server (/health, /ready on PORT) but without touching process signals
 * or the metrics port: what tests use. Stopping refuses probes, stops the worker, then closes pools.
 */
export async function startWorker(
  service: string,
  config: WorkerConfig,
  start: WorkerStarter,
  log?: Logger,
): Promise<StartedWorker> {
  const resources = await openBaseResources(service, config, log);
  let worker: RunningWorker;
  try {
    worker = await start(resources);
  } catch (error) {
    await resources.close().catch(() => undefined);
    throw error;
  }
  const app = createProbeApp(resources.log, { ...resources.readiness, ...worker.readiness });
  const onClose = async () => {
    await worker.stop();
    await resources.close();
  };
  const probe = await listen({
    app,
    port: config.PORT,
    host: config.HOST,
    log: resources.log,
    graceMs: config.SHUTDOWN_GRACE_MS,
    onClose,
  });
  return { resources, probe, stop: () => probe.stop() };
}

/** The body of a worker's main.ts: start, serve probes and metrics, stop cleanly on SIGTERM. */
export async function runWorker(service: string, config: WorkerConfig, start: WorkerStarter): Promise<void> {
  const log = createLogger(service, config.LOG_LEVEL);
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  let worker: StartedWorker;
  try {
    worker = await startWorker(service, config, start, log);
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
  const metrics = await startMetricsServer(worker.resources.registry, config.METRICS_PORT, config.HOST);
  exitOnSignals(log, () => worker.stop().then(() => void metrics.close()));
}
