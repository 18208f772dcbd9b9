import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { ConnectError, type ConnectRouter, type Interceptor } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Registry } from 'prom-client';
import { AppError } from '@platform/contracts';
import type { Logger } from '@platform/observability';
import { Health, ServerReflection } from '@platform/proto';
import { authInterceptor, type GrpcAuthOptions } from './auth.js';
import { toConnectError } from './errors.js';
import type { GrpcHealth } from './health.js';
import { metricsInterceptor } from './metrics.js';
import { registerReflection } from './reflection.js';
import type { TlsMaterial } from './tls.js';
import { serverTraceInterceptor } from './tracing.js';

export interface GrpcServerOptions {
  port: number;
  host: string;
  log: Logger;
  registry: Registry;
  auth: Omit<GrpcAuthOptions, 'publicServices'>;
  health: GrpcHealth;
  /** Registers the service's own implementations. */
  routes: (router: ConnectRouter) => void;
  /** TLS (cert and key), mTLS when it has a CA; plaintext when undefined. */
  tls?: TlsMaterial | undefined;
  /** How long calls in flight may finish after `stop`. */
  graceMs: number;
  /** Serve grpc.reflection.v1 (to anyone, like health): development only, never in production. */
  reflection?: boolean;
  /** Innermost interceptors, around every authorised call (e.g. the ORM's request context). */
  around?: Interceptor[];
}

export interface GrpcServer {
  port: number;
  /** Health turns NOT_SERVING, then the listener closes and connections get GOAWAY; calls in flight finish. */
  stop(): Promise<void>;
}

/** AppError to its status, and anything unexpected logged here and sent as a bare INTERNAL. */
function errorInterceptor(log: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      if (!(error instanceof AppError) && !(error instanceof ConnectError))
        log.error(
          { err: error, grpcMethod: `${req.service.typeName}/${req.method.name}` },
          'gRPC call failed',
        );
      throw toConnectError(error);
    }
  };
}

function createHttp2Server(tls: TlsMaterial | undefined): http2.Http2Server {
  if (tls === undefined) return http2.createServer();
  const mutual = tls.ca !== undefined;
  return http2.createSecureServer({
    cert: tls.cert,
    key: tls.key,
    ca: tls.ca,
    requestCert: mutual,
    rejectUnauthorized: mutual,
  });
}

/**
 * Serves gRPC (HTTP/2, the gRPC protocol only) on its own port: health always, the service's routes
 * behind the auth interceptor. Interceptors run outermost first: trace, metrics (they see the final
 * status), errors, auth.
 */
export async function startGrpcServer(options: GrpcServerOptions): Promise<GrpcServer> {
  const { log, health } = options;
  const handler = connectNodeAdapter({
    grpc: true,
    grpcWeb: false,
    connect: false,
    interceptors: [
      serverTraceInterceptor(),
      metricsInterceptor(options.registry, 'server'),
      errorInterceptor(log),
      authInterceptor({
        ...options.auth,
        publicServices:
          options.reflection === true ? [Health.typeName, ServerReflection.typeName] : [Health.typeName],
      }),
      ...(options.around ?? []),
    ],
    routes: (router) => {
      health.register(router);
      options.routes(router);
      if (options.reflection === true) registerReflection(router);
    },
  });
  const server = createHttp2Server(options.tls);
  server.on('request', handler);
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info({ port, tls: options.tls !== undefined }, 'gRPC listening');

  const stop = async () => {
    health.drain();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const session of sessions) session.close();
    const timer = setTimeout(() => {
      log.warn('gRPC grace period over; closing remaining streams');
      for (const session of sessions) session.destroy();
    }, options.graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
    log.info('gRPC stopped');
  };
  return { port, stop };
}
