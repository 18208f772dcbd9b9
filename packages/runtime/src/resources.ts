import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Bus } from '@platform/bus';
import { keyRingOf } from '@platform/config';
import { createOrm, OutboxMessage, type MikroORM } from '@platform/db';
import type { ReadinessCheck } from '@platform/http';
import { createLogger, createMetricsRegistry, type Logger } from '@platform/observability';
import { AccessTokens, Denylist, DenylistMirror } from '@platform/tokens';
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
  /** Hands over something opened on top of these resources (a subscription, a cache): `close` closes it first. */
  own(close: () => Promise<void>): void;
  close(): Promise<void>;
}

/** What a process that checks access tokens adds: Redis, the token verifier and the denylist. */
export interface TokenResources extends BaseResources {
  redis: Redis;
  tokens: AccessTokens;
  /** Answers from `mirror` while it is current, else from Redis. */
  denylist: Denylist;
  /** The denylist in this process's memory, kept current over Redis pub/sub; owned (started, stopped) here. */
  mirror: DenylistMirror;
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
  const owned: (() => Promise<void>)[] = [];
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
    own: (close) => owned.push(close),
    async close() {
      for (const close of owned.reverse()) {
        await close().catch((error: unknown) => logger.warn({ err: error }, 'closing failed'));
      }
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
  mirror: DenylistMirror;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/**
 * Opens Redis and builds the token verifier and denylist from a process's settings. The denylist reads
 * from an in-memory mirror, so checking a token on a request costs no Redis round trip; this waits
 * (a few milliseconds, at most 5 s) for the mirror's first load, and until it is current the
 * denylist asks Redis.
 */
export async function openTokenCheck(config: TokenCheckConfig, log: Logger): Promise<TokenCheck> {
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
  const mirror = new DenylistMirror(redis, log);
  await mirror.start();
  return {
    redis,
    tokens,
    denylist: new Denylist(redis, config.ACCESS_TOKEN_TTL_SECONDS, mirror),
    mirror,
    readiness: { redis: () => redis.ping() },
    async close() {
      await mirror.stop();
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
  const check = await openTokenCheck(config, base.log);
  return {
    ...base,
    redis: check.redis,
    tokens: check.tokens,
    denylist: check.denylist,
    mirror: check.mirror,
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
