/* eslint-disable no-restricted-imports -- users is an app, not a library: its package entry starts a
   server, so realtime's tests take its factories from source, as the gateway's harness does. */
import { loadConfig } from '@platform/config';
import type { GrpcServer } from '@platform/grpc';
import { startServiceGrpc } from '@platform/runtime';
import type { TestEnvironment, TestService } from '@platform/testkit';
import { composeUsers, createApp, createGrpcRoutes, type UsersParts } from '../../../users/src/app.js';
import { usersConfigSchema, type UsersConfig } from '../../../users/src/config.js';

/** The users service (HTTP and gRPC) realtime asks for accounts, on the test environment's database. */
export interface UsersForRealtime {
  http: TestService<UsersConfig>;
  grpc: GrpcServer;
  /** What realtime's USERS_GRPC_URL is set to. */
  grpcUrl: string;
}

/** Starts users as `pnpm start` runs it, trusting realtime's service key from the environment. */
export async function startUsersService(env: TestEnvironment): Promise<UsersForRealtime> {
  let parts: UsersParts | undefined;
  const http = await env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createApp((parts = await composeUsers({ ...r, config }))),
  );
  if (!parts) throw new Error('users did not compose');
  const grpc = await startServiceGrpc(
    http.resources,
    { ...http.config, GRPC_PORT: 0 },
    createGrpcRoutes(parts),
  );
  return { http, grpc, grpcUrl: `http://127.0.0.1:${grpc.port}` };
}
