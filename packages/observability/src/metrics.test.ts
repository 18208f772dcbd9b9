import { closeSync, openSync } from 'node:fs';
import { createMetricsRegistry, httpDurationHistogram, startMetricsServer } from './metrics.js';

describe('metrics', () => {
  // First in the file: nothing else has opened or is closing a descriptor in this worker yet.
  it('counts the open file descriptors, one more for each file opened', async () => {
    const registry = createMetricsRegistry('auth');
    const openFds = async () => {
      const metric = await registry.getSingleMetric('process_open_fds')?.get();
      return metric?.values[0]?.value ?? Number.NaN;
    };
    const before = await openFds();
    const opened = Array.from({ length: 20 }, () => openSync('/dev/null', 'r'));
    try {
      expect(await openFds()).toBe(before + 20);
    } finally {
      opened.forEach((fd) => closeSync(fd));
    }
  });

  it('serves the registry in Prometheus text format on its own port, with the service label', async () => {
    const registry = createMetricsRegistry('auth');
    httpDurationHistogram(registry).observe({ method: 'GET', route: '/profile', status: '200' }, 0.004);
    const server = await startMetricsServer(registry, 0, '127.0.0.1');
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    try {
      const res = await fetch(`http://127.0.0.1:${address.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/plain/);
      const body = await res.text();
      expect(body).toMatch(
        /http_request_duration_seconds_bucket\{le="0.005",service="auth",method="GET",route="\/profile",status="200"\} 1/,
      );
      expect(body).toMatch(/process_cpu_user_seconds_total/);
      expect((await fetch(`http://127.0.0.1:${address.port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
