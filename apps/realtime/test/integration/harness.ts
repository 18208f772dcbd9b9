// Shared by the integration tests: real uWS instances in-process on ephemeral ports, against the real
// PostgreSQL, Redis and RabbitMQ of a fresh test environment, and `ws` clients to talk to them.
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import { Bus, createEnvelope } from '@platform/bus';
import { loadConfig, mediaUrlSignerOf } from '@platform/config';
import { EXCHANGES, type EventPayload, type EventType } from '@platform/contracts';
import { createOrm, type MikroORM } from '@platform/db';
import { createLogger } from '@platform/observability';
import { openTokenResources, UserChangeFeed, type TokenResources } from '@platform/runtime';
import { createTestEnvironment, seedUser, type SeededUser, type TestEnvironment } from '@platform/testkit';
import type { AccessTokens } from '@platform/tokens';
import { realtimeConfigSchema, type RealtimeConfig } from '../../src/config.js';
import { startRealtime, type RunningRealtime } from '../../src/realtime.js';
import type { UserDirectory } from '../../src/users/user-directory.js';
import { createUserDirectory } from '../../src/users/users-backend.js';
import { deleteRealtimeQueues } from '../support/realtime-queues.js';
import { startUsersService, type UsersForRealtime } from '../support/users-service.js';
export { eventually } from '@platform/testkit';

/** One running instance and how to reach it. */
export interface Instance {
  url: string;
  wsUrl: string;
  config: RealtimeConfig;
  running: RunningRealtime;
  resources: TokenResources;
  /** Graceful stop (as on SIGTERM), then pools closed. */
  stop(): Promise<void>;
  /** Dies without cleanup: presence is left for the TTL, as when a pod is killed. */
  abandon(): Promise<void>;
}

export interface RealtimeWorld {
  env: TestEnvironment;
  bus: Bus;
  orm: MikroORM;
  tokens: AccessTokens;
  /** Redis with the environment's prefix, as the services see it. */
  redis: Redis;
  /** The users service realtime asks for account standing and display names (over gRPC). */
  users: UsersForRealtime;
  /** Chat's view of users as an instance has it, for tests that drive ChatService directly. */
  userDirectory(overrides?: Record<string, string>): UserDirectory;
  start(overrides?: Record<string, string>): Promise<Instance>;
  seedUser(displayName?: string): Promise<SeededUser>;
  /** Publishes an account event on the `events` exchange, as the auth service's outbox relay does. */
  publishEvent<T extends EventType>(type: T, payload: EventPayload<T>): Promise<string>;
  close(): Promise<void>;
}

/** A test environment with a publishing bus, a database handle and a token signer. */
export async function realtimeWorld(): Promise<RealtimeWorld> {
  const env = await createTestEnvironment();
  const vars = env.env;
  const logger = createLogger('realtime-test', 'silent');
  const bus = await Bus.connect({
    url: vars.AMQP_URL ?? '',
    namespace: env.namespace,
    connectionName: 'realtime-test',
    logger,
  });
  const orm = await createOrm({ url: vars.DATABASE_URL ?? '', poolMax: 2 });
  const redis = new Redis(vars.REDIS_URL ?? '', { keyPrefix: env.redisPrefix });
  const tokens = env.tokens;
  const users = await startUsersService(env);
  // The account events that clear the cached answers of directories made by `userDirectory`.
  const userChanges = await UserChangeFeed.open({
    url: vars.AMQP_URL ?? '',
    namespace: env.namespace,
    service: 'realtime-test',
    log: logger,
  });
  const instances: Instance[] = [];
  const configOf = (overrides: Record<string, string>) => {
    // REALTIME_TEST_LOG_LEVEL=debug shows the instances' logs when a test needs explaining.
    const logLevel = process.env.REALTIME_TEST_LOG_LEVEL;
    return loadConfig(realtimeConfigSchema, {
      ...vars,
      USERS_GRPC_URL: users.grpcUrl,
      ...(logLevel ? { LOG_LEVEL: logLevel } : {}),
      ...overrides,
    });
  };
  return {
    env,
    bus,
    orm,
    tokens,
    redis,
    users,
    userDirectory(overrides = {}) {
      const config = configOf(overrides);
      const log = createLogger('realtime-test', config.LOG_LEVEL);
      return createUserDirectory(config, new Registry(), log, userChanges);
    },
    async start(overrides = {}) {
      const config = configOf(overrides);
      const resources = await openTokenResources(
        'realtime',
        config,
        createLogger('realtime', config.LOG_LEVEL),
      );
      let running: RunningRealtime;
      try {
        running = await startRealtime(config, resources);
      } catch (error) {
        await resources.close();
        throw error;
      }
      let done: Promise<void> | null = null;
      const instance: Instance = {
        url: `http://127.0.0.1:${running.port}`,
        wsUrl: `ws://127.0.0.1:${running.port}/ws`,
        config,
        running,
        resources,
        stop: () => (done ??= running.stop().then(() => resources.close())),
        abandon: () => (done ??= running.abandon().then(() => resources.close())),
      };
      instances.push(instance);
      return instance;
    },
    seedUser: (displayName) => seedUser({ orm, tokens }, displayName ? { displayName } : {}),
    async publishEvent(type, payload) {
      const envelope = createEnvelope(type, payload);
      await bus.publish({ exchange: EXCHANGES.events }, envelope);
      return envelope.id;
    },
    async close() {
      await Promise.all(instances.map((instance) => instance.stop()));
      await users.grpc.stop();
      await userChanges.close();
      await bus.close();
      await orm.close(true);
      redis.disconnect();
      await deleteRealtimeQueues(vars.AMQP_URL ?? '', env.namespace);
      await env.close();
    },
  };
}

/** A frame received by a test client. */
export type Frame = Record<string, unknown> & { type: string };

/** A `ws` client that records every frame and how the socket closed. */
export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<{ code: number; reason: string }>;
  send(frame: unknown): void;
  /** Resolves with the first recorded (or future) frame matching `predicate`. */
  next(predicate: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): Promise<void>;
}

/** Opens a socket with a bearer token (header by default, `query: true` for ?access_token=). */
export function connect(
  instance: Instance,
  token: string,
  options: { query?: boolean; origin?: string } = {},
): Promise<TestSocket> {
  const url = options.query ? `${instance.wsUrl}?access_token=${encodeURIComponent(token)}` : instance.wsUrl;
  const headers: Record<string, string> = options.query ? {} : { authorization: `Bearer ${token}` };
  if (options.origin) headers.origin = options.origin;
  const ws = new WebSocket(url, { headers });
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    frames.push(JSON.parse(String(data)) as Frame);
    for (const wake of waiters) wake();
  });
  const problems: string[] = [];
  ws.on('error', (error) => problems.push(error.message));
  ws.on('open', () => problems.push(`open ${Date.now()}`));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      problems.push(`closed ${code} ${Date.now()}`);
      resolve({ code, reason: reason.toString() });
    }),
  );
  const socket: TestSocket = {
    ws,
    frames,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(predicate);
          if (!found) return false;
          cleanup();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}; ${problems.join(', ')}`,
            ),
          );
        }, timeoutMs);
        const wake = () => void check();
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(wake);
        };
        waiters.add(wake);
        check();
      });
    },
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close(1000);
      await closed;
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
}

/** Attempts an upgrade expected to be refused; resolves with the HTTP status and problem body. */
export function refusedUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          body: JSON.parse(text) as Record<string, unknown>,
        }),
      );
    });
    ws.once('error', (error) => reject(error));
  });
}

/** Signs attachment URLs as a process without MEDIA_URL_SECRET does (the dev secret). */
export const testMediaUrls = mediaUrlSignerOf({ MEDIA_URL_TTL_SECONDS: 3600 });

/** Sleeps; for asserting that something does NOT happen within a window. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A predicate for `next`: a frame of `type` that also passes `extra`. */
export const ofType =
  (type: string, extra: (frame: Frame) => boolean = () => true) =>
  (frame: Frame) =>
    frame.type === type && extra(frame);

/** A seeded user with an open socket on `instance` that has received its connect snapshot. */
export async function onlineUser(world: RealtimeWorld, instance: Instance, displayName?: string) {
  const user = await world.seedUser(displayName);
  const socket = await connect(instance, user.accessToken);
  await socket.next(ofType('chat.snapshot'));
  return { ...user, socket };
}
