import { runHttpService } from '@platform/runtime';
import { composeUsers, createApp, createGrpcRoutes, type UsersParts } from './app.js';
import type { UsersConfig } from './config.js';

/** Composition root: open resources, serve HTTP and gRPC until SIGTERM. */
export async function main(config: UsersConfig): Promise<void> {
  let parts: UsersParts | undefined;
  await runHttpService(
    'users',
    config,
    async (resources) => createApp((parts = await composeUsers({ ...resources, config }))),
    {
      config,
      routes: () => {
        if (!parts) throw new Error('runHttpService asks for the gRPC routes only after building the app');
        return createGrpcRoutes(parts);
      },
    },
  );
}
