import { runWorker } from '@platform/runtime';
import type { MediaWorkerConfig } from './config.js';
import { startMediaWorker } from './worker.js';

/** Composition root: open resources, start consuming, stop cleanly on SIGTERM. */
export async function main(config: MediaWorkerConfig): Promise<void> {
  await runWorker('worker-media', config, (resources) => startMediaWorker(resources, config));
}
