import { randomUUID } from 'node:crypto';
import type { SeededUser } from '@platform/testkit';
import { startHarness, type Harness } from './harness.js';

type Entry = {
  id: string;
  kind: string;
  at: string;
  action: string | null;
  actorId: string | null;
  targetId: string | null;
  userId: string | null;
  path: string | null;
  status: number | null;
  durationMs: number | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};
type Page = { entries: Entry[]; nextCursor: string | null };

let h: Harness;
let root: SeededUser;
let manager: SeededUser;
const alice = randomUUID();
const bob = randomUUID();
const carol = randomUUID();
/** Ids in the order the API must return them: newest first, ties by id descending. */
let expected: string[] = [];

const T0 = Date.parse('2026-03-01T00:00:00Z');
const minute = (n: number) => new Date(T0 + n * 60_000).toISOString();

beforeAll(async () => {
  h = await startHarness();
  root = await h.seed('admin');
  manager = await h.seed('manager');
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < 20; i += 1) {
    const audit = i % 4 === 0;
    rows.push({
      message_id: randomUUID(),
      kind: audit ? 'audit' : 'request',
      // Pairs share a timestamp, so the order among them rests on the id.
      occurred_at: minute(Math.floor(i / 2)),
      service: audit ? 'admin' : 'users',
      request_id: `req-${i}`,
      action: audit ? (i % 8 === 0 ? 'user.lock' : 'user.update') : null,
      actor_id: audit ? alice : null,
      target_id: audit ? bob : null,
      user_id: audit ? null : i % 3 === 0 ? bob : carol,
      method: audit ? null : 'GET',
      path: audit ? null : i % 2 === 0 ? '/profile' : '/admin/users',
      status: audit ? null : i % 5 === 0 ? 403 : 200,
      duration_ms: audit ? null : 1.5,
      ip: '10.0.0.1',
      user_agent: 'seed',
      before: audit ? JSON.stringify({ status: 'active' }) : null,
      after: audit ? JSON.stringify({ status: 'suspended' }) : null,
    });
  }
  // LIKE wildcards in stored paths, and two rows a microsecond apart (finer than a JS Date).
  const extra = (path: string, at: string) => ({
    message_id: randomUUID(),
    kind: 'request',
    occurred_at: at,
    service: 'admin',
    method: 'GET',
    path,
    status: 200,
  });
  rows.push(extra('/a_b/x', '2026-03-02T00:00:00.123456Z'));
  rows.push(extra('/aXb/x', '2026-03-02T00:00:00.123457Z'));
  const knex = h.admin.resources.orm.em.getKnex();
  await knex('audit_logs').insert(rows);
  const stored = (await knex('audit_logs')
    .select('id')
    .orderBy([
      { column: 'occurred_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])) as { id: string }[];
  expected = stored.map((row) => String(row.id));
});
afterAll(() => h.close());

const get = (query: string, token = root.accessToken) =>
  h.api.get<Page>(`/admin/audit-logs${query ? `?${query}` : ''}`, { token });

describe('GET /admin/audit-logs', () => {
  it('returns the newest entries first with camelCase fields', async () => {
    const res = await get('size=3');
    expect(res.status).toBe(200);
    expect(res.body.entries.map((e) => e.id)).toEqual(expected.slice(0, 3));
    const audit = (await get('kind=audit&size=1')).body.entries[0];
    expect(audit).toEqual({
      id: expect.any(String),
      kind: 'audit',
      at: minute(8),
      service: 'admin',
      requestId: 'req-16',
      action: 'user.lock',
      actorId: alice,
      targetId: bob,
      userId: null,
      method: null,
      path: null,
      status: null,
      durationMs: null,
      ip: '10.0.0.1',
      userAgent: 'seed',
      before: { status: 'active' },
      after: { status: 'suspended' },
    });
  });

  it('pages with a cursor: every entry once, in order, and no cursor after the last page', async () => {
    for (const size of [1, 7, 22, 50]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: Page } = await get(`size=${size}${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.entries.map((e) => e.id));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 100);
      expect([size, seen]).toEqual([size, expected]);
      expect(pages).toBe(Math.ceil(expected.length / size));
    }
  });

  it('keeps filters across pages', async () => {
    const first = await get('kind=request&size=4');
    const second = await get(`kind=request&size=4&cursor=${first.body.nextCursor ?? ''}`);
    const ids = [...first.body.entries, ...second.body.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(8);
    expect([...first.body.entries, ...second.body.entries].every((e) => e.kind === 'request')).toBe(true);
  });

  it('filters by user across the request user, the actor and the target', async () => {
    const byBob = (await get(`user=${bob}&size=100`)).body.entries;
    expect(byBob.length).toBeGreaterThan(0);
    expect(byBob.every((e) => e.userId === bob || e.actorId === bob || e.targetId === bob)).toBe(true);
    expect(byBob.some((e) => e.targetId === bob)).toBe(true);
    expect(byBob.some((e) => e.userId === bob)).toBe(true);
    const byAlice = (await get(`user=${alice}&size=100`)).body.entries;
    expect(byAlice).toHaveLength(5);
  });

  it('filters by actor, action, kind and status', async () => {
    expect((await get(`actor=${alice}&size=100`)).body.entries).toHaveLength(5);
    expect((await get(`actor=${bob}`)).body.entries).toHaveLength(0);
    const locks = (await get('action=user.lock&size=100')).body.entries;
    expect(locks.map((e) => e.action)).toEqual(['user.lock', 'user.lock', 'user.lock']);
    expect((await get('action=user.loc')).body.entries).toHaveLength(0);
    expect((await get('kind=audit&size=100')).body.entries).toHaveLength(5);
    const forbidden = (await get('status=403&size=100')).body.entries;
    expect(forbidden.map((e) => e.status)).toEqual([403, 403, 403]);
  });

  it('matches a path prefix, taking LIKE wildcards literally', async () => {
    const admin = (await get('path=/admin&size=100')).body.entries;
    expect(admin.length).toBeGreaterThan(0);
    expect(admin.every((e) => e.path?.startsWith('/admin'))).toBe(true);
    expect((await get('path=/a_b&size=100')).body.entries.map((e) => e.path)).toEqual(['/a_b/x']);
    expect((await get('path=%25&size=100')).body.entries).toHaveLength(0);
  });

  it('bounds time with an inclusive from and an exclusive to', async () => {
    const window = (await get(`from=${minute(2)}&to=${minute(4)}&size=100`)).body.entries;
    expect(window.map((e) => e.at)).toEqual([minute(3), minute(3), minute(2), minute(2)]);
    const offset = await get(`from=${encodeURIComponent('2026-03-01T01:02:00+01:00')}&to=${minute(3)}`);
    expect(offset.body.entries.map((e) => e.at)).toEqual([minute(2), minute(2)]);
  });

  it.each([
    'cursor=garbage!',
    `cursor=${Buffer.from('yesterday|1').toString('base64url')}`,
    `cursor=${Buffer.from('2026-03-01T00:00:00Z|-1').toString('base64url')}`,
    'size=0',
    'size=101',
    'user=nobody',
    'kind=debug',
    'from=yesterday',
    'status=abc',
    'sort=at',
  ])('refuses %s with validation_failed', async (query) => {
    const res = await get(query);
    expect([res.status, res.body]).toEqual([400, expect.objectContaining({ code: 'validation_failed' })]);
  });

  it('is for admins only', async () => {
    const res = await get('', manager.accessToken);
    expect([res.status, (res.body as unknown as { code: string }).code]).toEqual([403, 'forbidden']);
  });
});
