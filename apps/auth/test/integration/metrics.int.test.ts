import { checkMetrics, type ApiClient, type TestEnvironment, type TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { registerAndLogin, startAuth } from './harness.js';

let env: TestEnvironment;
let auth: TestService<AuthConfig>;
let api: ApiClient;

beforeAll(async () => {
  ({ env, auth, api } = await startAuth());
});
afterAll(() => env.close());

describe('GET /metrics (auth)', () => {
  it('exposes metrics that promtool accepts without a lint warning', async () => {
    // A register and a login put samples in the request and hashing histograms, and stage outbox rows.
    await registerAndLogin(api);
    expect((await api.get('/health')).status).toBe(200);

    const text = await auth.resources.registry.metrics();
    expect(text).toMatch(/^http_request_duration_seconds_count\{/m);
    expect(text).toMatch(/^auth_hash_duration_seconds_count/m);
    await checkMetrics(text);
  });
});
