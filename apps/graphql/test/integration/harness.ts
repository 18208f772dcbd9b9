/* eslint-disable no-restricted-imports -- users, admin and realtime are apps, not libraries: their
   package entries start servers, so the gateway's tests take their factories from source, as the web
   app's and worker-email's harnesses do. */
import { loadConfig } from '@platform/config';
import type { GrpcServer } from '@platform/grpc';
import { listen, type RunningServer } from '@platform/http';
import { createLogger } from '@platform/observability';
import {
  openGatewayResources,
  openTokenResources,
  startServiceGrpc,
  type GatewayResources,
  type TokenResources,
} from '@platform/runtime';
import { createTestEnvironment, type TestEnvironment, type TestService } from '@platform/testkit';
import { createApp as createAdminApp, createGrpcRoutes as adminGrpc } from '../../../admin/src/app.js';
import { adminConfigSchema, type AdminConfig } from '../../../admin/src/config.js';
import { realtimeConfigSchema } from '../../../realtime/src/config.js';
import { startRealtime, type RunningRealtime } from '../../../realtime/src/realtime.js';
import { deleteRealtimeQueues } from '../../../realtime/test/support/realtime-queues.js';
import {
  composeUsers,
  createApp as createUsersApp,
  createGrpcRoutes as usersGrpc,
  type UsersParts,
} from '../../../users/src/app.js';
import { usersConfigSchema, type UsersConfig } from '../../../users/src/config.js';
import { graphqlConfigSchema, type GraphqlConfig } from '../../src/config.js';
import { composeGateway } from '../../src/gateway.js';

/** What a GraphQL answer looks like to a client. */
export interface GraphqlAnswer<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface Gateway {
  url: string;
  config: GraphqlConfig;
  resources: GatewayResources;
  server: RunningServer;
}

/** users and admin (HTTP and gRPC) and the gateway in front of them, for one test file. */
export interface GatewayWorld {
  env: TestEnvironment;
  users: TestService<UsersConfig>;
  /** users' services, for serving its gRPC port again after a restart. */
  usersParts: UsersParts;
  admin: TestService<AdminConfig>;
  usersGrpc: GrpcServer;
  adminGrpc: GrpcServer;
  gateway: Gateway;
  /** The socket tier with its gRPC port, when the world was started `withRealtime`. */
  realtime?: { running: RunningRealtime; resources: TokenResources; url: string; wsUrl: string };
  /** POST /graphql with `token` as the bearer. */
  query<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ): Promise<GraphqlAnswer<T>>;
  close(): Promise<void>;
}

/** Starts a gateway in-process against the given gRPC ports. */
export async function startGateway(
  env: TestEnvironment,
  ports: { users: number; admin: number; realtime?: number },
  overrides: Record<string, string> = {},
): Promise<Gateway> {
  const config = loadConfig(graphqlConfigSchema, {
    ...env.env,
    USERS_GRPC_URL: `http://127.0.0.1:${ports.users}`,
    ADMIN_GRPC_URL: `http://127.0.0.1:${ports.admin}`,
    // Port 1: nothing listens, so a file without realtime gets service_unavailable, never a hang.
    REALTIME_GRPC_URL: `http://127.0.0.1:${ports.realtime ?? 1}`,
    ...overrides,
  });
  const resources = await openGatewayResources('graphql', config, createLogger('graphql', config.LOG_LEVEL));
  const parts = await composeGateway(resources, config);
  const attached: { detach?: () => Promise<void> } = {};
  // As runGatewayService does, without taking over the process's signals.
  const server = await listen({
    app: parts.app,
    port: 0,
    host: '127.0.0.1',
    log: resources.log,
    graceMs: config.SHUTDOWN_GRACE_MS,
    onDrain: async () => attached.detach?.(),
    onClose: () => resources.close(),
  });
  attached.detach = parts.attach?.(server);
  return { url: `http://127.0.0.1:${server.port}`, config, resources, server };
}

/** POSTs one GraphQL operation to `url`. */
export async function postGraphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<GraphqlAnswer<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphqlAnswer<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The socket tier on the file's environment, its HTTP and gRPC ports on free ports. */
async function startRealtimeTier(
  env: TestEnvironment,
  usersGrpcPort: number,
): Promise<NonNullable<GatewayWorld['realtime']>> {
  // realtime asks users for accounts with its own identity (the environment's service key).
  const config = loadConfig(realtimeConfigSchema, {
    ...env.env,
    USERS_GRPC_URL: `http://127.0.0.1:${usersGrpcPort}`,
  });
  const resources = await openTokenResources('realtime', config, createLogger('realtime', config.LOG_LEVEL));
  const running = await startRealtime(config, resources);
  return {
    running,
    resources,
    url: `http://127.0.0.1:${running.port}`,
    wsUrl: `ws://127.0.0.1:${running.port}/ws`,
  };
}

export async function startWorld(
  gatewayOverrides: Record<string, string> = {},
  options: { withRealtime?: boolean } = {},
): Promise<GatewayWorld> {
  const env = await createTestEnvironment();
  let parts: UsersParts | undefined;
  const users = await env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createUsersApp((parts = await composeUsers({ ...r, config }))),
  );
  if (!parts) throw new Error('users did not compose');
  const usersParts = parts;
  const admin = await env.start(
    'admin',
    (e) => loadConfig(adminConfigSchema, e),
    (config, r) => createAdminApp({ ...r, config }),
  );
  const usersGrpcServer = await startServiceGrpc(
    users.resources,
    { ...users.config, GRPC_PORT: 0 },
    usersGrpc(usersParts),
  );
  const adminGrpcServer = await startServiceGrpc(
    admin.resources,
    { ...admin.config, GRPC_PORT: 0 },
    adminGrpc({ ...admin.resources, config: admin.config }),
  );
  const realtime =
    options.withRealtime === true ? await startRealtimeTier(env, usersGrpcServer.port) : undefined;
  const gateway = await startGateway(
    env,
    { users: usersGrpcServer.port, admin: adminGrpcServer.port, realtime: realtime?.running.grpcPort },
    gatewayOverrides,
  );
  const world: GatewayWorld = {
    env,
    users,
    usersParts,
    admin,
    usersGrpc: usersGrpcServer,
    adminGrpc: adminGrpcServer,
    gateway,
    ...(realtime === undefined ? {} : { realtime }),
    query: (query, variables, token) => postGraphql(gateway.url, query, variables, token),
    // Reads the fields at close time: a test may have replaced a gRPC server (a restart).
    async close() {
      await world.gateway.server.stop();
      await world.usersGrpc.stop();
      await world.adminGrpc.stop();
      if (world.realtime !== undefined) {
        await world.realtime.running.stop();
        await world.realtime.resources.close();
        await deleteRealtimeQueues(env.env.AMQP_URL ?? '', env.namespace);
      }
      await env.close();
    },
  };
  return world;
}
