import { loadConfig } from '@platform/config';
import { apiClient, createTestEnvironment, seedUser, type TestEnvironment } from '@platform/testkit';
import { composeUsers, createApp } from '../../src/app.js';
import { usersConfigSchema } from '../../src/config.js';

let env: TestEnvironment;
afterAll(() => env.close());

describe('the per-user rate limit', () => {
  it('allows 100 requests a minute per user across instances, then 429, leaving other users alone', async () => {
    env = await createTestEnvironment();
    const start = () =>
      env.start(
        'users',
        (e) => loadConfig(usersConfigSchema, e),
        async (config, r) => createApp(await composeUsers({ ...r, config })),
        {
          RATE_LIMIT_PER_MINUTE: '100',
        },
      );
    // Two processes sharing one Redis: the budget is per user, not per instance.
    const [one, two] = [await start(), await start()];
    const [a, b] = [apiClient(one.url), apiClient(two.url)];
    const alice = await seedUser({ orm: one.resources.orm, tokens: env.tokens });
    const bob = await seedUser({ orm: one.resources.orm, tokens: env.tokens });

    const statuses: number[] = [];
    for (let i = 0; i < 100; i += 1)
      statuses.push((await (i % 2 ? a : b).get('/profile', { token: alice.accessToken })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);

    const limited = await a.get('/profile', { token: alice.accessToken });
    expect([limited.status, limited.body.code]).toEqual([429, 'rate_limited']);
    expect(limited.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['ratelimit-limit']).toBe('100');
    expect(limited.headers['ratelimit-remaining']).toBe('0');
    expect((await b.get('/profile', { token: alice.accessToken })).status).toBe(429);

    const other = await b.get('/profile', { token: bob.accessToken });
    expect(other.status).toBe(200);
    expect(other.headers['ratelimit-remaining']).toBe('99');
  });
});
