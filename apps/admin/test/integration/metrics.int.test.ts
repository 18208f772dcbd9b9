import { checkMetrics } from '@platform/testkit';
import { startHarness, type Harness } from './harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(() => harness.close());

describe('GET /metrics (admin)', () => {
  it('exposes metrics that promtool accepts without a lint warning', async () => {
    // An authorised and an anonymous request put samples in the request histogram.
    const root = await harness.seed('admin');
    expect((await harness.api.get('/admin/users', { token: root.accessToken })).status).toBe(200);
    expect((await harness.api.get('/admin/users')).status).toBe(401);

    const text = await harness.admin.resources.registry.metrics();
    expect(text).toMatch(/^http_request_duration_seconds_count\{/m);
    await checkMetrics(text);
  });
});
