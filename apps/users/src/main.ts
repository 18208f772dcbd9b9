import { runHttpService } from '@platform/runtime';
import { createApp, createGrpcRoutes } from './app.js';
import type { UsersConfig } from './config.js';

/** Composition root: open resources, serve HTTP and gRPC until SIGTERM. */
export async function main(config: UsersConfig): Promise<void> {
  await runHttpService('users', config, (resources) => createApp({ ...resources, config }), {
    config,
    routes: (resources) => createGrpcRoutes({ ...resources, config }),
  });
}
