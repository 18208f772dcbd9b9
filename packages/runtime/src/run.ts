import { runHttpServer, type HttpApp } from '@platform/http';
import { startMetricsServer } from '@platform/observability';
import type { GrpcServiceConfig, ServiceConfig } from './config.js';
import { startServiceGrpc, type GrpcRoutes } from './grpc.js';
import { openResources, type ServiceResources } from './resources.js';

/** A service that serves gRPC too: its config has the gRPC settings, and it names its routes. */
export interface GrpcOption {
  config: GrpcServiceConfig;
  routes: (resources: ServiceResources) => GrpcRoutes;
}

/**
 * The body of every HTTP service's main.ts: open resources, build the app, serve it (and its gRPC
 * port, when given) and its metrics, and on SIGTERM drain both before closing pools.
 */
export async function runHttpService(
  service: string,
  config: ServiceConfig,
  build: (resources: ServiceResources) => Promise<HttpApp> | HttpApp,
  grpc?: GrpcOption,
): Promise<void> {
  const resources = await openResources(service, config);
  const { log } = resources;
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  try {
    const app = await build(resources);
    const grpcServer = grpc && (await startServiceGrpc(resources, grpc.config, grpc.routes(resources)));
    const metrics = await startMetricsServer(resources.registry, config.METRICS_PORT, config.HOST);
    await runHttpServer({
      app,
      port: config.PORT,
      host: config.HOST,
      log,
      graceMs: config.SHUTDOWN_GRACE_MS,
      onDrain: async () => grpcServer?.stop(),
      onClose: async () => {
        metrics.close();
        await resources.close();
      },
    });
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    await resources.close().catch(() => undefined);
    process.exit(1);
  }
}
