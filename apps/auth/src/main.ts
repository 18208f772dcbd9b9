import { runHttpService } from '@platform/runtime';
import { createGrpcRoutes } from './app.js';
import { startAuth } from './auth.js';
import type { AuthConfig } from './config.js';

/** Composition root: open resources, start, serve until SIGTERM. */
export async function main(config: AuthConfig): Promise<void> {
  await runHttpService('auth', config, (resources) => startAuth(config, resources), {
    config,
    routes: (resources) => createGrpcRoutes({ ...resources, config }),
  });
}
