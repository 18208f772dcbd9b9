import { runHttpService } from '@platform/runtime';
import { createApp } from './app.js';
import type { AdminConfig } from './config.js';

/** Composition root: open resources, serve until SIGTERM. */
export async function main(config: AdminConfig): Promise<void> {
  await runHttpService('admin', config, (resources) => createApp({ ...resources, config }));
}
