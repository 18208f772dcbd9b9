import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Bus } from '@platform/bus';
import {
  createHttpApp,
  exitOnSignals,
  listen,
  type HttpApp,
  type ReadinessCheck,
  type RunningServer,
} from '@platform/http';
import {
  createLogger,
  createMetricsRegistry,
  startMetricsServer,
  type Logger,
} from '@platform/observability';
import type { AccessTokens, Denylist } from '@platform/tokens';
import type { GatewayConfig } from './config.js';
import { requestLogShipper } from './outbox/index.js';
import { openTokenCheck } from './resources.js';

/** What a gateway that owns no data is built from: no database pool, everything else a service has. */
export interface GatewayResources {
  service: string;
  log: Logger;
  registry: Registry;
  bus: Bus;
  redis: Redis;
  tokens: AccessTokens;
  denylist: Denylist;
  readiness: Record<string, ReadinessCheck>;
  shipRequestLog: ReturnType<typeof requestLogShipper>;
  close(): Promise<void>;
}

/** Opens the broker connection and Redis, and builds the token verifier and denylist. */
export async function openGatewayResources(
  service: string,
  config: GatewayConfig,
  log?: Logger,
): Promise<GatewayResources> {
  const logger = log ?? createLogger(service, config.LOG_LEVEL);
  const registry = createMetricsRegistry(service);
  const bus = await Bus.connect({
    url: config.AMQP_URL,
    namespace: config.AMQP_NAMESPACE,
    connectionName: `${service}@${hostname()}`,
    logger,
    registry,
  });
  const check = await openTokenCheck(config, logger);
  return {
    service,
    log: logger,
    registry,
    bus,
    redis: check.redis,
    tokens: check.tokens,
    denylist: check.denylist,
    readiness: {
      broker: async () => {
        if (!bus.isReady()) throw new Error('broker not connected');
      },
      ...check.readiness,
    },
    shipRequestLog: requestLogShipper(bus, registry),
    async close() {
      await bus.close();
      await check.close();
    },
  };
}

/** The kit's app for a gateway: the same middleware order, limiter and token checks as a service. */
export function createGatewayApp(resources: GatewayResources, config: GatewayConfig): HttpApp {
  return createHttpApp({
    ...resources,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    bodyLimit: config.BODY_LIMIT,
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
}

/** A built gateway: its app, and what else shares its listener (WebSocket upgrades) and drain. */
export interface GatewayParts {
  app: HttpApp;
  /** Called once the HTTP server listens (to take its upgrades); returns what to stop on drain. */
  attach?: (running: RunningServer) => () => Promise<void>;
}

/** The main.ts body of a gateway: open, build, serve HTTP and metrics, drain on SIGTERM. */
export async function runGatewayService(
  service: string,
  config: GatewayConfig,
  build: (resources: GatewayResources) => Promise<GatewayParts> | GatewayParts,
): Promise<void> {
  const resources = await openGatewayResources(service, config);
  const { log } = resources;
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  try {
    const parts = await build(resources);
    const metrics = await startMetricsServer(resources.registry, config.METRICS_PORT, config.HOST);
    // Set once listening; the drain (SIGTERM) reads it then.
    const attached: { detach?: () => Promise<void> } = {};
    const running = await listen({
      app: parts.app,
      port: config.PORT,
      host: config.HOST,
      log,
      graceMs: config.SHUTDOWN_GRACE_MS,
      onDrain: async () => attached.detach?.(),
      onClose: async () => {
        metrics.close();
        await resources.close();
      },
    });
    attached.detach = parts.attach?.(running);
    exitOnSignals(log, running.stop, config.SHUTDOWN_GRACE_MS + 5_000);
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    await resources.close().catch(() => undefined);
    process.exit(1);
  }
}
