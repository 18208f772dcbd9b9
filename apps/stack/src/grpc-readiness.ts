import type { Client } from '@connectrpc/connect';
import { createGrpcClient } from '@platform/grpc';
import { Health, HealthCheckResponse_ServingStatus as Status } from '@platform/proto';
import { describeError } from './errors.js';
import { httpReadyCheck, type ReadyCheck } from './readiness.js';

/** One health client per port: its HTTP/2 connection is reused from poll to poll. */
const clients = new Map<string, Client<typeof Health>>();

/**
 * grpc.health.v1 Check of the whole server (service ""), as a Kubernetes gRPC probe asks it: ready on
 * SERVING. The server reports the same checks as the service's /ready, and that its gRPC port serves.
 * `url` is `grpc://host:port`.
 */
export const grpcReadyCheck: ReadyCheck = async (url, signal) => {
  const base = url.replace(/^grpc:/, 'http:');
  let client = clients.get(base);
  if (client === undefined) {
    client = createGrpcClient(Health, {
      url: base,
      timeoutMs: 2_000,
      retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    });
    clients.set(base, client);
  }
  try {
    const { status } = await client.check({ service: '' }, { signal });
    return status === Status.SERVING ? true : `gRPC health ${Status[status]}`;
  } catch (error) {
    if (signal.aborted) throw error;
    return `no gRPC answer (${describeError(error)})`;
  }
};

/** `/ready` over HTTP for `http(s)://` targets, grpc.health.v1 for `grpc://` ones. */
export const serviceReadyCheck: ReadyCheck = (url, signal) =>
  url.startsWith('grpc://') ? grpcReadyCheck(url, signal) : httpReadyCheck(url, signal);
