import type { Client } from '@connectrpc/connect';
import type { Registry } from 'prom-client';
import { createGrpcClient, readTls } from '@platform/grpc';
import { AdminService, RealtimeService, UsersService } from '@platform/proto';
import type { GraphqlConfig } from './config.js';

/** The owning services the gateway asks, one gRPC client each (HTTP/2 connections are shared). */
export interface Backends {
  users: Client<typeof UsersService>;
  admin: Client<typeof AdminService>;
  realtime: Client<typeof RealtimeService>;
}

/** Clients with the configured deadline, retries for idempotent calls, metrics and trace context. */
export function createBackends(config: GraphqlConfig, registry: Registry): Backends {
  const tls = readTls({
    certFile: config.GRPC_TLS_CERT_FILE,
    keyFile: config.GRPC_TLS_KEY_FILE,
    caFile: config.GRPC_TLS_CA_FILE,
  });
  const options = { timeoutMs: config.GRPC_TIMEOUT_MS, registry, tls };
  return {
    users: createGrpcClient(UsersService, { ...options, url: config.USERS_GRPC_URL }),
    admin: createGrpcClient(AdminService, { ...options, url: config.ADMIN_GRPC_URL }),
    realtime: createGrpcClient(RealtimeService, { ...options, url: config.REALTIME_GRPC_URL }),
  };
}
