import { runWorker } from '@platform/runtime';
import type { EmailConfig } from './config.js';
import { startEmailWorker } from './worker.js';

/** Composition root: open resources, start consuming, stop cleanly on SIGTERM. */
export async function main(config: EmailConfig): Promise<void> {
  await runWorker('worker-email', config, (resources) => startEmailWorker(resources, config));
}
