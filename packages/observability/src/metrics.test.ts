import { closeSync, openSync, readdirSync } from 'node:fs';
import { createMetricsRegistry, httpDurationHistogram, startMetricsServer } from './metrics.js';

describe('metrics', () => {
  it('counts the open file descriptors, as /proc/self/fd lists them', async () => {
    const registry = createMetricsRegistry('auth');
    const openFds = async () => {
      const metric = await registry.getSingleMetric('process_open_fds')?.get();
      return metric?.values[0]?.value ?? Number.NaN;
    };
    // What the process has open right now (the listing's own descriptor left out).
    const listed = () => readdirSync('/proc/self/fd').length - 1;
    const opened = Array.from({ length: 50 }, () => openSync('/dev/null', 'r'));
    try {
      // A descriptor or two may come and go meanwhile (jest's own): near, not equal.
      expect(Math.abs((await openFds()) - listed())).toBeLessThanOrEqual(3);
    } finally {
      opened.forEach((fd) => closeSync(fd));
    }
    expect(Math.abs((await openFds()) - listed())).toBeLessThanOrEqual(3);
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
