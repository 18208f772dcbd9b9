import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const OPEN_FDS = 'process_open_fds';

/** A registry with process metrics and the service label on every series. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  if (registry.getSingleMetric(OPEN_FDS)) {
    // prom-client counts descriptors with readdirSync('/proc/self/fd') on the event loop: with 10 000
    // sockets open that blocks every scrape for 10 ms and more. The same count, read on the threadpool.
    registry.removeSingleMetric(OPEN_FDS);
    new Gauge({
      name: OPEN_FDS,
      help: 'Number of open file descriptors.',
      registers: [registry],
      async collect() {
        // Minus the descriptor the read itself held open, as prom-client does.
        const fds = await readdir('/proc/self/fd').catch(() => undefined);
        if (fds) this.set(fds.length - 1);
      },
    });
  }
  return registry;
}

/** The standard HTTP latency histogram; `route` is the matched pattern, never the raw path. */
export function httpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds by method, route pattern and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

/**
 * Serves GET /metrics on its own port so the scrape endpoint is never reachable through the edge or
 * the Ingress. Resolves once listening.
 */
export async function startMetricsServer(
  registry: Registry,
  port: number,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry
      .metrics()
      .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body))
      .catch(() => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
