import type { SigningAlgorithm, TokenKey } from '@platform/tokens';

/** The settings every process shares (the config fragments' union, already parsed). */
export interface WorkerConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  LOG_LEVEL: string;
  SHUTDOWN_GRACE_MS: number;
  HOST: string;
  PORT: number;
  METRICS_PORT: number;
  DATABASE_URL: string;
  DATABASE_POOL_MAX: number;
  DATABASE_DEBUG: boolean;
  AMQP_URL: string;
  AMQP_NAMESPACE: string;
}

/** What checking access tokens reads: Redis (the denylist) and the verifying keys. */
export interface TokenCheckConfig {
  REDIS_URL: string;
  REDIS_PREFIX: string;
  JWT_ALGORITHM: SigningAlgorithm;
  /** Keys that only verify; every service but auth needs them. */
  JWT_PUBLIC_KEYS?: TokenKey[] | undefined;
  /** Keys that sign (auth only). */
  JWT_PRIVATE_KEYS?: TokenKey[] | undefined;
  JWT_SIGNING_KEY_ID?: string | undefined;
  JWT_ISSUER: string;
  JWT_AUDIENCE: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
}

/** What a process that checks access tokens adds (HTTP services, the socket tier). */
export interface TokenConfig extends WorkerConfig, TokenCheckConfig {}

/**
 * A gateway that owns no data (GraphQL): no database, but tokens, the broker (request logs,
 * subscriptions) and the HTTP kit's settings.
 */
export interface GatewayConfig extends TokenCheckConfig {
  NODE_ENV: 'development' | 'production' | 'test';
  LOG_LEVEL: string;
  SHUTDOWN_GRACE_MS: number;
  HOST: string;
  PORT: number;
  METRICS_PORT: number;
  AMQP_URL: string;
  AMQP_NAMESPACE: string;
  RATE_LIMIT_PER_MINUTE: number;
  BODY_LIMIT: string;
  TRUST_PROXY_HOPS: number;
}

/** What an HTTP service adds. */
export interface ServiceConfig extends TokenConfig {
  RATE_LIMIT_PER_MINUTE: number;
  BODY_LIMIT: string;
  TRUST_PROXY_HOPS: number;
  /** Seals `email.send` commands in the outbox (services that mail); unset: the dev key. */
  EMAIL_SEAL_KEYS?: string | undefined;
}

/** What a service that also serves gRPC adds (`grpcServerFragment`). */
export interface GrpcServiceConfig extends ServiceConfig {
  GRPC_PORT: number;
  GRPC_TLS_CERT_FILE?: string | undefined;
  GRPC_TLS_KEY_FILE?: string | undefined;
  GRPC_TLS_CA_FILE?: string | undefined;
  /** Services that may call with their own identity, and their token keys (`grpcServerFragment`). */
  GRPC_SERVICE_KEYS?: Map<string, TokenKey[]> | undefined;
}
