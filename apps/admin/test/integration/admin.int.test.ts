import amqp from 'amqplib';
import { Redis } from 'ioredis';
import { loadConfig } from '@platform/config';
import { namespaced, PRESENCE_ONLINE_KEY, QUEUES } from '@platform/contracts';
import {
  apiClient,
  backingServices,
  createTestEnvironment,
  seedUser,
  type ApiClient,
  type SeededUser,
  type TestEnvironment,
  type TestService,
} from '@platform/testkit';
import { createApp } from '../../src/app.js';
import { adminConfigSchema, type AdminConfig } from '../../src/config.js';

let env: TestEnvironment;
let admin: TestService<AdminConfig>;
let api: ApiClient;
let people: Record<'admin' | 'manager' | 'user', SeededUser>;

beforeAll(async () => {
  env = await createTestEnvironment();
  admin = await env.start(
    'admin',
    (e) => loadConfig(adminConfigSchema, e),
    (config, r) => createApp({ ...r, config }),
  );
  api = apiClient(admin.url);
  const seed = (role: 'admin' | 'manager' | 'user', email: string, day: number) =>
    seedUser(
      { orm: admin.resources.orm, tokens: env.tokens },
      { role, email, createdAt: new Date(Date.UTC(2026, 0, day)) },
    );
  people = {
    admin: await seed('admin', 'root@example.com', 1),
    manager: await seed('manager', 'boss@example.com', 2),
    user: await seed('user', 'pat@example.com', 3),
  };
});
afterAll(() => env.close());

describe('RBAC on the admin routes', () => {
  it.each([
    ['user', '/admin', 403],
    ['manager', '/admin', 403],
    ['admin', '/admin', 200],
    ['user', '/admin/users', 403],
    ['manager', '/admin/users', 200],
    ['admin', '/admin/users', 200],
  ] as const)('%s on GET %s gets %i', async (role, path, status) => {
    const res = await api.get(path, { token: people[role].accessToken });
    expect(res.status).toBe(status);
    if (status === 403) expect(res.body.code).toBe('forbidden');
  });

  it('answers 401 to anonymous callers', async () => {
    expect((await api.get('/admin')).status).toBe(401);
  });
});

describe('GET /admin', () => {
  it('counts users by role and status, active sessions and who is online', async () => {
    const redis = new Redis(backingServices().redisUrl, { keyPrefix: env.redisPrefix });
    await redis.zadd(
      PRESENCE_ONLINE_KEY,
      Date.now() + 60_000,
      people.user.id,
      Date.now() - 1000,
      'gone-stale',
    );
    const res = await api.get('/admin', { token: people.admin.accessToken });
    redis.disconnect();
    expect(res.body).toMatchObject({
      users: {
        total: 3,
        byRole: { admin: 1, manager: 1, user: 1 },
        byStatus: { active: 3, suspended: 0, deactivated: 0 },
      },
      sessions: { active: 3 },
      online: 1,
    });
  });
});

describe('GET /admin/users', () => {
  type Page = { users: { email: string; role: string }[]; page: number; size: number; total: number };

  it('pages newest first with a total', async () => {
    const first = await api.get<Page>('/admin/users?size=2', { token: people.admin.accessToken });
    expect(first.body).toMatchObject({ page: 1, size: 2, total: 3 });
    expect(first.body.users.map((u) => u.email)).toEqual(['pat@example.com', 'boss@example.com']);
    const second = await api.get<Page>('/admin/users?size=2&page=2', { token: people.admin.accessToken });
    expect(second.body.users.map((u) => u.email)).toEqual(['root@example.com']);
  });

  it('searches email and name case-insensitively, treating wildcards literally', async () => {
    const byEmail = await api.get<Page>('/admin/users?q=BOSS', { token: people.admin.accessToken });
    expect(byEmail.body.users.map((u) => u.email)).toEqual(['boss@example.com']);
    const wildcard = await api.get<Page>('/admin/users?q=%25', { token: people.admin.accessToken });
    expect(wildcard.body.total).toBe(0);
  });

  it('filters by role', async () => {
    const res = await api.get<Page>('/admin/users?role=manager', { token: people.manager.accessToken });
    expect(res.body.users.map((u) => u.role)).toEqual(['manager']);
  });

  it('refuses bad query parameters with validation_failed', async () => {
    for (const query of ['size=0', 'size=101', 'page=-1', 'role=root', 'sort=email']) {
      const res = await api.get(`/admin/users?${query}`, { token: people.admin.accessToken });
      expect([query, res.status, res.body.code]).toEqual([query, 400, 'validation_failed']);
    }
  });

  it('audits every read with the actor, the query and where it came from', async () => {
    const connection = await amqp.connect(backingServices().amqpUrl);
    const channel = await connection.createChannel();
    await api.get('/admin/users?q=pat', {
      token: people.manager.accessToken,
      headers: { 'user-agent': 'AuditProbe/1' },
    });
    const queue = namespaced(env.namespace, QUEUES.logs);
    let record: Record<string, unknown> | undefined;
    for (let i = 0; i < 100 && !record; i += 1) {
      const message = await channel.get(queue, { noAck: true });
      if (!message) await new Promise((r) => setTimeout(r, 25));
      else {
        const envelope = JSON.parse(message.content.toString()) as {
          type: string;
          payload: Record<string, unknown>;
        };
        if (envelope.type === 'log.audit' && envelope.payload.userAgent === 'AuditProbe/1')
          record = envelope.payload;
      }
    }
    await connection.close();
    expect(record).toMatchObject({
      service: 'admin',
      action: 'users.list',
      actorId: people.manager.id,
      after: { q: 'pat' },
    });
  });

  it('never returns password material', async () => {
    const res = await api.get('/admin/users', { token: people.admin.accessToken });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });
});
