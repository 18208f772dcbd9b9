import { runHttpService } from '@platform/runtime';
import { createApp } from './app.js';
import type { MediaConfig } from './config.js';

/** Composition root: open resources, serve HTTP until SIGTERM. */
export async function main(config: MediaConfig): Promise<void> {
  await runHttpService('media', config, (resources) => createApp({ ...resources, config }));
}
