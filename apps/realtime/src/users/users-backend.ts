import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { createGrpcClient, readTls } from '@platform/grpc';
import { UsersService } from '@platform/proto';
import type { ChangeSource } from '@platform/runtime';
import { KeyRing, ServiceTokenSigner } from '@platform/tokens';
import type { RealtimeConfig } from '../config.js';
import { GrpcUserDirectory, type UserDirectory } from './user-directory.js';

/** This service's name in the service tokens it presents (users grants `GetUsers` to it). */
export const SERVICE_NAME = 'realtime';

/**
 * users as chat reaches it: a gRPC client with the configured deadline, retries (GetUsers is
 * idempotent), client metrics and trace context, and realtime's service identity. Without
 * SERVICE_TOKEN_KEYS (allowed outside production) calls carry no token, so users refuses them and
 * chat answers `service_unavailable` where it needs an account.
 */
export function createUserDirectory(
  config: RealtimeConfig,
  registry: Registry,
  log: Logger,
  /** Account events that clear cached answers (realtime's `UserChangeFeed`). */
  changes: ChangeSource,
): UserDirectory {
  const client = createGrpcClient(UsersService, {
    url: config.USERS_GRPC_URL,
    timeoutMs: config.GRPC_TIMEOUT_MS,
    registry,
    tls: readTls({
      certFile: config.GRPC_TLS_CERT_FILE,
      keyFile: config.GRPC_TLS_KEY_FILE,
      caFile: config.GRPC_TLS_CA_FILE,
    }),
  });
  const signer =
    config.SERVICE_TOKEN_KEYS === undefined
      ? null
      : new ServiceTokenSigner(SERVICE_NAME, new KeyRing(config.JWT_ALGORITHM, config.SERVICE_TOKEN_KEYS));
  if (signer === null)
    log.warn('SERVICE_TOKEN_KEYS is not set: users will refuse realtime, so groups and direct messages fail');
  return new GrpcUserDirectory(client, signer, changes, { ttlMs: config.USERS_CACHE_TTL_MS }, (error) =>
    log.warn({ err: error }, 'users could not answer GetUsers'),
  );
}
