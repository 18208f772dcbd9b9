import { z } from 'zod';
import { secret } from './print.js';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Settings every process shares. */
export const baseFragment = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  SHUTDOWN_GRACE_MS: positiveInt(10_000),
};

/** An HTTP service: its own port plus a separate metrics port that the edge never exposes. */
export const httpFragment = (defaultPort: number, defaultMetricsPort: number) => ({
  HOST: z.string().default('0.0.0.0'),
  PORT: port(defaultPort),
  METRICS_PORT: port(defaultMetricsPort),
  /** How many reverse-proxy hops in front of us to trust for X-Forwarded-For (edge, Ingress). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(kb|mb)$/i)
    .default('100kb'),
  RATE_LIMIT_PER_MINUTE: positiveInt(100),
});

export const databaseFragment = {
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/platform'),
  DATABASE_POOL_MAX: positiveInt(10),
  DATABASE_DEBUG: bool(false),
};

export const redisFragment = {
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** Key prefix so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z.string().default('platform:'),
};

export const amqpFragment = {
  AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
  /** Prefix for every exchange and queue name, for isolating deployments or test runs. */
  AMQP_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .default(''),
};

/** Verifying access tokens; every HTTP service and the socket tier need it. */
export const jwtVerifyFragment = {
  JWT_SECRET: secret(z.string().min(32, 'must be at least 32 characters (256 bits) of secret')),
  JWT_ISSUER: z.string().default('platform-auth'),
  JWT_AUDIENCE: z.string().default('platform'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
};

/** Everything an HTTP service of this platform reads (spread into its own z.object). */
export const httpServiceFragment = (defaultPort: number, defaultMetricsPort: number) => ({
  ...baseFragment,
  ...httpFragment(defaultPort, defaultMetricsPort),
  ...databaseFragment,
  ...redisFragment,
  ...amqpFragment,
  ...jwtVerifyFragment,
});

/** Everything an AMQP worker reads: a probe port (/health, /ready), metrics, Postgres and the broker. */
export const workerFragment = (defaultPort: number, defaultMetricsPort: number) => ({
  ...baseFragment,
  HOST: z.string().default('0.0.0.0'),
  PORT: port(defaultPort),
  METRICS_PORT: port(defaultMetricsPort),
  ...databaseFragment,
  ...amqpFragment,
});

/** Mailed links: the web app they open, and how long an email-verification link works. */
export const mailLinksFragment = {
  PUBLIC_WEB_URL: z.url({ protocol: /^https?$/ }).default('http://localhost:8080'),
  EMAIL_VERIFICATION_TTL_SECONDS: positiveInt(48 * 3600),
};

export { bool, port, positiveInt };
