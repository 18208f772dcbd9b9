import { runHttpServer, type HttpApp } from '@platform/http';
import { startMetricsServer } from '@platform/observability';
import type { ServiceConfig } from './config.js';
import { openResources, type ServiceResources } from './resources.js';

/**
 * The body of every HTTP service's main.ts: open resources, build the app, serve it and its metrics,
 * and on SIGTERM drain in-flight requests before closing pools.
 */
export async function runHttpService(
  service: string,
  config: ServiceConfig,
  build: (resources: ServiceResources) => Promise<HttpApp> | HttpApp,
): Promise<void> {
  const resources = await openResources(service, config);
  const { log } = resources;
  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled rejection'));
  try {
    const app = await build(resources);
    const metrics = await startMetricsServer(resources.registry, config.METRICS_PORT, config.HOST);
    await runHttpServer({
      app,
      port: config.PORT,
      host: config.HOST,
      log,
      graceMs: config.SHUTDOWN_GRACE_MS,
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
