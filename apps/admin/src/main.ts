import { runHttpService } from '@platform/runtime';
import { createApp, createGrpcRoutes } from './app.js';
import type { AdminConfig } from './config.js';

/** Composition root: open resources, serve HTTP and gRPC until SIGTERM. */
export async function main(config: AdminConfig): Promise<void> {
  await runHttpService('admin', config, (resources) => createApp({ ...resources, config }), {
    config,
    routes: (resources) => createGrpcRoutes({ ...resources, config }),
  });
}
