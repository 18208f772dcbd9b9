import { createMetricsRegistry, httpDurationHistogram, startMetricsServer } from './metrics.js';

describe('metrics', () => {
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
