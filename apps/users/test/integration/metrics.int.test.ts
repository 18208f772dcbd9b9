import { loadConfig } from '@platform/config';
import {
  apiClient,
  checkMetrics,
  createTestEnvironment,
  seedUser,
  type TestEnvironment,
  type TestService,
} from '@platform/testkit';
import { composeUsers, createApp } from '../../src/app.js';
import { usersConfigSchema, type UsersConfig } from '../../src/config.js';

let env: TestEnvironment;
let users: TestService<UsersConfig>;

beforeAll(async () => {
  env = await createTestEnvironment();
  users = await env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createApp(await composeUsers({ ...r, config })),
  );
});
afterAll(() => env.close());

describe('GET /metrics (users)', () => {
  it('exposes metrics that promtool accepts without a lint warning', async () => {
    // An authenticated and a rejected request put samples in the request histogram.
    const api = apiClient(users.url);
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    expect((await api.get('/profile', { token: me.accessToken })).status).toBe(200);
    expect((await api.get('/profile')).status).toBe(401);

    const text = await users.resources.registry.metrics();
    expect(text).toMatch(/^http_request_duration_seconds_count\{/m);
    await checkMetrics(text);
  });
});
