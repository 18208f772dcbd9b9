import { loadConfig } from '@platform/config';
import { User } from '@platform/db';
import {
  apiClient,
  createTestEnvironment,
  eventually,
  seedUser,
  type ApiClient,
  type TestEnvironment,
  type TestService,
} from '@platform/testkit';
import { composeUsers, createApp } from '../../src/app.js';
import { usersConfigSchema, type UsersConfig } from '../../src/config.js';

// Two instances of users on one database and broker, as two replicas behind the edge: each keeps
// profiles in memory, and a change made anywhere must reach both promptly.
let env: TestEnvironment;
let a: TestService<UsersConfig>;
let b: TestService<UsersConfig>;
let apiA: ApiClient;
let apiB: ApiClient;

/** A change is visible on every instance well within this (the broker delivers in milliseconds). */
const PROMPTLY_MS = 1_000;

async function startUsers(): Promise<TestService<UsersConfig>> {
  return env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createApp(await composeUsers({ ...r, config })),
  );
}

async function cacheHits(service: TestService<UsersConfig>): Promise<number> {
  const metric = await service.resources.registry.getSingleMetric('users_profile_cache_lookups_total')?.get();
  return metric?.values.find((v) => v.labels.result === 'hit')?.value ?? 0;
}

beforeAll(async () => {
  env = await createTestEnvironment();
  [a, b] = [await startUsers(), await startUsers()];
  [apiA, apiB] = [apiClient(a.url), apiClient(b.url)];
});
afterAll(() => env.close());

describe('profiles served from memory', () => {
  it('serves repeated reads without the database, and a change made on one instance on the other at once', async () => {
    const me = await seedUser({ orm: a.resources.orm, tokens: env.tokens }, { displayName: 'Before' });
    const hitsBefore = await cacheHits(b);
    for (let i = 0; i < 3; i++) {
      expect((await apiB.get('/profile', { token: me.accessToken })).body.displayName).toBe('Before');
    }
    expect(await cacheHits(b)).toBeGreaterThanOrEqual(hitsBefore + 2);

    const patched = await apiA.patch('/profile', { token: me.accessToken, body: { displayName: 'After' } });
    expect(patched.body.displayName).toBe('After');
    // The instance that made the change answers with it on the very next read.
    expect((await apiA.get('/profile', { token: me.accessToken })).body.displayName).toBe('After');
    await eventually(
      'the other instance to serve the new name',
      async () => (await apiB.get('/profile', { token: me.accessToken })).body.displayName === 'After',
      PROMPTLY_MS,
    );
  });

  it('stops serving an account another service deleted, as soon as its event arrives', async () => {
    const me = await seedUser({ orm: a.resources.orm, tokens: env.tokens });
    expect((await apiB.get('/profile', { token: me.accessToken })).status).toBe(200);
    expect((await apiB.get('/profile', { token: me.accessToken })).status).toBe(200);

    // What admin's deletion does: the row and its event in one transaction, published by the outbox.
    const em = a.resources.orm.em.fork();
    const user = await em.findOneOrFail(User, { id: me.id });
    user.deletedAt = new Date();
    a.resources.events.stage(em, 'user.deleted', { userId: me.id, reason: 'admin' });
    await em.flush();

    await eventually(
      'the deleted account to be gone from the cache',
      async () => (await apiB.get('/profile', { token: me.accessToken })).status === 404,
      PROMPTLY_MS,
    );
  });

  it('refuses a revoked session on every instance within a second, without asking Redis per request', async () => {
    const me = await seedUser({ orm: a.resources.orm, tokens: env.tokens });
    expect((await apiA.get('/profile', { token: me.accessToken })).status).toBe(200);
    expect((await apiB.get('/profile', { token: me.accessToken })).status).toBe(200);
    expect(a.resources.mirror.isCurrent() && b.resources.mirror.isCurrent()).toBe(true);

    // What auth does at logout or revocation, from a third process's point of view.
    await a.resources.denylist.revokeSession(me.sessionId);
    for (const api of [apiA, apiB]) {
      await eventually(
        'the revocation to reach the instance',
        async () => (await api.get('/profile', { token: me.accessToken })).body.code === 'token_revoked',
        PROMPTLY_MS,
      );
    }
  });
});
