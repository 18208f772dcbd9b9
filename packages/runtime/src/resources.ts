import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Bus } from '@platform/bus';
import { keyRingOf } from '@platform/config';
import { createOrm, OutboxMessage, type MikroORM } from '@platform/db';
import type { ReadinessCheck } from '@platform/http';
import { createLogger, createMetricsRegistry, type Logger } from '@platform/observability';
import { AccessTokens, Denylist } from '@platform/tokens';
import type { ServiceConfig, TokenCheckConfig, TokenConfig, WorkerConfig } from './config.js';
import { MailSeal, OutboxRelay, outboxEventSink, requestLogShipper, type EventSink } from './outbox/index.js';

/** What every process is built from: logger, metrics, database and broker; `close` releases it all. */
export interface BaseResources {
  service: string;
  log: Logger;
  registry: Registry;
  orm: MikroORM;
  bus: Bus;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/** What a process that checks access tokens adds: Redis, the token verifier and the denylist. */
export interface TokenResources extends BaseResources {
  redis: Redis;
  tokens: AccessTokens;
  denylist: Denylist;
}

/** What an HTTP service adds: the outbox and the request-log shipper. */
export interface ServiceResources extends TokenResources {
  events: EventSink;
  relay: OutboxRelay;
  shipRequestLog: ReturnType<typeof requestLogShipper>;
}

/** Opens the database pool and the broker connection that workers and services share. */
export async function openBaseResources(
  service: string,
  config: WorkerConfig,
  log?: Logger,
): Promise<BaseResources> {
  const logger = log ?? createLogger(service, config.LOG_LEVEL);
  const registry = createMetricsRegistry(service);
  const orm = await createOrm({
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    debug: config.DATABASE_DEBUG,
  });
  let bus: Bus;
  try {
    bus = await Bus.connect({
      url: config.AMQP_URL,
      namespace: config.AMQP_NAMESPACE,
      connectionName: `${service}@${hostname()}`,
      logger,
      registry,
    });
  } catch (error) {
    await orm.close(true);
    throw error;
  }
  return {
    service,
    log: logger,
    registry,
    orm,
    bus,
    readiness: {
      database: () => orm.em.getConnection().execute('select 1'),
      broker: async () => {
        if (!bus.isReady()) throw new Error('broker not connected');
      },
    },
    async close() {
      await bus.close();
      await orm.close(true);
    },
  };
}

/** Redis with the token verifier and denylist built on it: what checking an access token takes. */
export interface TokenCheck {
  redis: Redis;
  tokens: AccessTokens;
  denylist: Denylist;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/** Opens Redis and builds the token verifier and denylist from a process's settings. */
export function openTokenCheck(config: TokenCheckConfig, log: Logger): TokenCheck {
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
  });
  redis.on('error', (error) => log.warn({ err: error }, 'redis error'));
  const tokens = new AccessTokens({
    keys: keyRingOf(config),
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  return {
    redis,
    tokens,
    denylist: new Denylist(redis, config.ACCESS_TOKEN_TTL_SECONDS),
    readiness: { redis: () => redis.ping() },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** Opens the base resources plus Redis, and the token verifier and denylist built on them. */
export async function openTokenResources(
  service: string,
  config: TokenConfig,
  log?: Logger,
): Promise<TokenResources> {
  const base = await openBaseResources(service, config, log);
  const check = openTokenCheck(config, base.log);
  return {
    ...base,
    redis: check.redis,
    tokens: check.tokens,
    denylist: check.denylist,
    readiness: { ...base.readiness, ...check.readiness },
    async close() {
      await base.close();
      await check.close();
    },
  };
}

/** Opens everything an HTTP service needs and starts its outbox relay. */
export async function openResources(
  service: string,
  config: ServiceConfig,
  log?: Logger,
): Promise<ServiceResources> {
  const base = await openTokenResources(service, config, log);
  const { orm, bus, registry } = base;
  const relay = new OutboxRelay({ orm, bus, log: base.log, registry });
  // Publish right after a commit that wrote outbox rows, instead of at the next poll.
  orm.em.getEventManager().registerSubscriber({
    afterFlush: ({ uow }) => {
      if (uow.getChangeSets().some((change) => change.entity instanceof OutboxMessage)) relay.kick();
    },
  });
  relay.start();
  return {
    ...base,
    events: outboxEventSink(MailSeal.fromKeys(config.EMAIL_SEAL_KEYS)),
    relay,
    shipRequestLog: requestLogShipper(bus, registry),
    async close() {
      await relay.stop();
      await base.close();
    },
  };
}
