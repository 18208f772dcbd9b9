import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Bus } from '@platform/bus';
import type { EventSink } from '@platform/contracts';
import { createOrm, type MikroORM } from '@platform/db';
import type { ReadinessCheck } from '@platform/http';
import { createLogger, createMetricsRegistry, type Logger } from '@platform/observability';
import { AccessTokens, Denylist } from '@platform/tokens';
import type { ServiceConfig } from './config.js';
import { busEventSink } from './event-sink.js';

/** What every HTTP service is built from; `close` releases it all. */
export interface ServiceResources {
  service: string;
  log: Logger;
  registry: Registry;
  redis: Redis;
  orm: MikroORM;
  bus: Bus;
  tokens: AccessTokens;
  denylist: Denylist;
  events: EventSink;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

/** Opens the pools and connections a service needs, from its parsed config. */
export async function openResources(
  service: string,
  config: ServiceConfig,
  log?: Logger,
): Promise<ServiceResources> {
  const logger = log ?? createLogger(service, config.LOG_LEVEL);
  const registry = createMetricsRegistry(service);
  const redis = new Redis(config.REDIS_URL, {
    keyPrefix: config.REDIS_PREFIX,
    maxRetriesPerRequest: 2,
    enableAutoPipelining: true,
  });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis error'));
  const orm = await createOrm({
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    debug: config.DATABASE_DEBUG,
  });
  const bus = await Bus.connect({
    url: config.AMQP_URL,
    namespace: config.AMQP_NAMESPACE,
    connectionName: `${service}@${hostname()}`,
    logger,
  });
  const tokens = new AccessTokens({
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  return {
    service,
    log: logger,
    registry,
    redis,
    orm,
    bus,
    tokens,
    denylist: new Denylist(redis, config.ACCESS_TOKEN_TTL_SECONDS),
    events: busEventSink(bus, logger, registry),
    readiness: {
      database: () => orm.em.getConnection().execute('select 1'),
      redis: () => redis.ping(),
      broker: async () => {
        if (!bus.isReady()) throw new Error('broker not connected');
      },
    },
    async close() {
      await bus.close();
      await orm.close(true);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
