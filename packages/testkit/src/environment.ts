import { Redis } from 'ioredis';
import { deleteTopology } from '@platform/bus';
import { listen, type HttpApp, type RunningServer } from '@platform/http';
import { createLogger } from '@platform/observability';
import {
  openResources,
  startWorker,
  type BaseResources,
  type RunningWorker,
  type ServiceConfig,
  type ServiceResources,
  type WorkerConfig,
} from '@platform/runtime';
import { backingServices, createTestDatabase, uniqueId, type TestDatabase } from '@platform/test-services';
import { AccessTokens, generateKeyPair, KeyRing, parseKeySet } from '@platform/tokens';

type Env = Record<string, string>;

export interface TestService<C> {
  url: string;
  config: C;
  resources: ServiceResources;
  /** Graceful stop, as on SIGTERM. */
  stop(): Promise<void>;
}

export interface TestWorker<C> {
  /** Base URL of its /health and /ready. */
  url: string;
  config: C;
  resources: BaseResources;
  /** Graceful stop: consumers cancelled, batches flushed, pools closed. */
  stop(): Promise<void>;
}

export interface TestEnvironment {
  /** The env every service of this test file shares: its own database, Redis prefix, AMQP namespace, signing key. */
  env: Env;
  /** Signs access tokens as auth would with this file's key (default issuer and audience). */
  tokens: AccessTokens;
  namespace: string;
  redisPrefix: string;
  /** Starts a service in-process on an ephemeral port, from the shared env plus `overrides`. */
  start<C extends ServiceConfig>(
    service: string,
    parse: (env: Env) => C,
    build: (config: C, resources: ServiceResources) => Promise<HttpApp> | HttpApp,
    overrides?: Env,
  ): Promise<TestService<C>>;
  /** Starts an AMQP worker in-process with its probe server on an ephemeral port. */
  startWorker<C extends WorkerConfig>(
    service: string,
    parse: (env: Env) => C,
    start: (config: C, resources: BaseResources) => Promise<RunningWorker>,
    overrides?: Env,
  ): Promise<TestWorker<C>>;
  /** Stops every service and removes the database, the Redis keys and the broker objects. */
  close(): Promise<void>;
}

/** Generous limits so only tests about limits ever meet one. */
const TEST_DEFAULTS: Env = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  // Services that serve gRPC (realtime starts its port itself) take any free port, never a fixed one.
  GRPC_PORT: '0',
  RATE_LIMIT_PER_MINUTE: '100000',
  AUTH_RATE_LIMIT_PER_MINUTE: '100000',
  AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE: '100000',
  // The cheapest hashes: only tests about hashing pay for real work factors.
  BCRYPT_COST: '4',
  ARGON2_MEMORY_KIB: '1024',
  ARGON2_TIME_COST: '1',
  SHUTDOWN_GRACE_MS: '5000',
};

/** The services' defaults for JWT_ISSUER and JWT_AUDIENCE. */
const DEFAULT_ISSUER = 'http://localhost:8080';
const DEFAULT_AUDIENCE = 'platform';

/** A fresh Ed25519 key: the private set (auth reads it) and its public half (every other service). */
export function signingKeyEnv(): Env {
  const { privateJwk, publicJwk } = generateKeyPair('EdDSA');
  return {
    JWT_PRIVATE_KEYS: JSON.stringify({ keys: [privateJwk] }),
    JWT_PUBLIC_KEYS: JSON.stringify({ keys: [publicJwk] }),
  };
}

/**
 * realtime's service identity (docs/architecture.md §10): the key it signs service tokens with, and
 * the trust users' gRPC port places in it. Each service reads only its own half.
 */
export function serviceKeyEnv(): Env {
  const { privateJwk, publicJwk } = generateKeyPair('EdDSA');
  return {
    SERVICE_TOKEN_KEYS: JSON.stringify({ keys: [privateJwk] }),
    GRPC_SERVICE_KEYS: JSON.stringify({ realtime: { keys: [publicJwk] } }),
  };
}

/** One isolated world for one test file, on the real PostgreSQL, Redis and RabbitMQ. */
export async function createTestEnvironment(): Promise<TestEnvironment> {
  const { redisUrl, amqpUrl } = backingServices();
  const database: TestDatabase = await createTestDatabase();
  const namespace = uniqueId('t');
  const redisPrefix = `${namespace}:`;
  const env: Env = {
    ...TEST_DEFAULTS,
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    AMQP_URL: amqpUrl,
    AMQP_NAMESPACE: namespace,
    ...signingKeyEnv(),
    ...serviceKeyEnv(),
  };
  const tokens = new AccessTokens({
    keys: new KeyRing('EdDSA', parseKeySet(env.JWT_PRIVATE_KEYS ?? '', 'private')),
    issuer: DEFAULT_ISSUER,
    audience: DEFAULT_AUDIENCE,
  });
  const running: { server: RunningServer; stopped: boolean }[] = [];

  return {
    env,
    tokens,
    namespace,
    redisPrefix,
    async start(service, parse, build, overrides = {}) {
      const config = parse({ ...env, ...overrides });
      const resources = await openResources(service, config, createLogger(service, config.LOG_LEVEL));
      let app: HttpApp;
      try {
        app = await build(config, resources);
      } catch (error) {
        await resources.close();
        throw error;
      }
      const server = await listen({
        app,
        port: 0,
        host: '127.0.0.1',
        log: resources.log,
        graceMs: config.SHUTDOWN_GRACE_MS,
        onClose: () => resources.close(),
      });
      const entry = { server, resources, stopped: false };
      running.push(entry);
      const stop = async () => {
        if (entry.stopped) return;
        entry.stopped = true;
        await server.stop();
      };
      return { url: `http://127.0.0.1:${server.port}`, config, resources, stop };
    },
    async startWorker(service, parse, start, overrides = {}) {
      const config = parse({ ...env, ...overrides });
      const worker = await startWorker(
        service,
        config,
        (resources) => start(config, resources),
        createLogger(service, config.LOG_LEVEL),
      );
      const entry = { server: worker.probe, stopped: false };
      running.push(entry);
      const stop = async () => {
        if (entry.stopped) return;
        entry.stopped = true;
        await worker.stop();
      };
      return { url: `http://127.0.0.1:${worker.probe.port}`, config, resources: worker.resources, stop };
    },
    async close() {
      await Promise.all(
        running
          .filter((r) => !r.stopped)
          .map(async (r) => {
            r.stopped = true;
            await r.server.stop();
          }),
      );
      await deleteRedisKeys(redisUrl, redisPrefix);
      await deleteTopology(amqpUrl, namespace);
      await database.drop();
    },
  };
}

async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
