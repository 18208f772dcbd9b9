import { runWorker } from '@platform/runtime';
import type { LogsConfig } from './config.js';
import { startLogsWorker } from './worker.js';

/** Composition root: open resources, start consuming, stop cleanly on SIGTERM. */
export async function main(config: LogsConfig): Promise<void> {
  await runWorker('worker-logs', config, (resources) => startLogsWorker(resources, config));
}
