import { identifierLockoutKeys } from '@platform/contracts';
import type { SeededUser } from '@platform/testkit';
import { isAudit, matching, startHarness, type Harness } from './harness.js';

type UserBody = { user: { id: string; email: string; role: string; accountStatus: string } };
type Page = { users: { id: string; email: string }[]; total: number };

let h: Harness;
let root: SeededUser;
let manager: SeededUser;

beforeAll(async () => {
  h = await startHarness();
  root = await h.seed('admin', { email: 'root@example.com' });
  manager = await h.seed('manager', { email: 'boss@example.com' });
});
afterAll(() => h.close());

const sessionsOf = (userId: string) =>
  h.admin.resources.orm.em
    .fork()
    .getConnection()
    .execute<{ revoked: boolean; revoked_reason: string | null }[]>(
      'select revoked_at is not null as revoked, revoked_reason from sessions where user_id = ?',
      [userId],
    );

const sql = <T extends object[]>(query: string, params: unknown[]) =>
  h.admin.resources.orm.em.fork().getConnection().execute<T>(query, params);

/** A browser that signed in as the user before (what auth records after a sign-in). */
const trustDevice = (userId: string) =>
  sql(
    `insert into trusted_devices (id, user_id, token_hash, user_agent, created_at, last_used_at)
     values (gen_random_uuid(), ?, md5(random()::text), 'test', now(), now())`,
    [userId],
  );

const devicesOf = async (userId: string) =>
  (
    await sql<{ n: number }[]>('select count(*)::int as n from trusted_devices where user_id = ?', [userId])
  )[0]?.n;

const getUser = (id: string) => h.api.get<UserBody>(`/admin/users/${id}`, { token: manager.accessToken });

describe('last admin protection', () => {
  it.each([
    [
      'demoting',
      (id: string) => h.api.patch(`/admin/users/${id}`, { token: root.accessToken, body: { role: 'user' } }),
    ],
    [
      'suspending',
      (id: string) =>
        h.api.patch(`/admin/users/${id}`, { token: root.accessToken, body: { status: 'suspended' } }),
    ],
    ['locking', (id: string) => h.api.post(`/admin/users/${id}/lock`, { token: root.accessToken })],
    ['deleting', (id: string) => h.api.delete(`/admin/users/${id}`, { token: root.accessToken })],
  ])('refuses %s the only admin with last_admin and changes nothing', async (_what, call) => {
    const res = await call(root.id);
    expect([res.status, res.body]).toEqual([
      409,
      expect.objectContaining({
        code: 'last_admin',
        detail: 'An admin cannot remove the last remaining admin.',
      }),
    ]);
    expect((await getUser(root.id)).body.user).toMatchObject({ role: 'admin', accountStatus: 'active' });
    expect(await sessionsOf(root.id)).toEqual([{ revoked: false, revoked_reason: null }]);
    expect((await h.api.get('/admin', { token: root.accessToken })).status).toBe(200);
  });

  it('lets one of two admins demote the other, whose sessions then end', async () => {
    const second = await h.seed('admin');
    const res = await h.api.patch<UserBody>(`/admin/users/${second.id}`, {
      token: root.accessToken,
      body: { role: 'manager' },
    });
    expect([res.status, res.body.user.role]).toEqual([200, 'manager']);
    // Its access token still says admin: it must stop working rather than keep the old powers.
    expect((await h.api.get('/admin', { token: second.accessToken })).status).toBe(401);
    expect(await sessionsOf(second.id)).toEqual([{ revoked: true, revoked_reason: 'role_changed' }]);
  });
});

describe('suspending and locking', () => {
  it('revokes every session of a suspended account, so its tokens stop working at once', async () => {
    const target = await h.seed('manager');
    expect((await h.api.get('/admin/users', { token: target.accessToken })).status).toBe(200);
    const res = await h.api.patch<UserBody>(`/admin/users/${target.id}`, {
      token: root.accessToken,
      body: { status: 'suspended' },
    });
    expect([res.status, res.body.user.accountStatus]).toEqual([200, 'suspended']);
    const denied = await h.api.get('/admin/users', { token: target.accessToken });
    expect([denied.status, denied.body.code]).toEqual([401, 'token_revoked']);
    expect(await sessionsOf(target.id)).toEqual([{ revoked: true, revoked_reason: 'account_suspended' }]);
    const revoked = await h.waitFor(
      'events',
      'session.revoked',
      matching('session.revoked', { userId: target.id }),
    );
    expect(revoked).toEqual({ userId: target.id, sessionId: target.sessionId, reason: 'account_suspended' });
  });

  it('locks with POST /lock, audited as user.lock with the sessions and devices it ended', async () => {
    const target = await h.seed('user');
    await trustDevice(target.id);
    await trustDevice(target.id);
    const res = await h.api.post<UserBody>(`/admin/users/${target.id}/lock`, { token: root.accessToken });
    expect([res.status, res.body.user.accountStatus]).toEqual([200, 'suspended']);
    expect((await h.api.get('/admin/users', { token: target.accessToken })).status).toBe(401);
    const record = await h.waitFor(
      'logs',
      'the lock audit',
      isAudit({ action: 'user.lock', targetId: target.id }),
    );
    expect(record).toMatchObject({
      actorId: root.id,
      before: { status: 'active' },
      after: { status: 'suspended', sessionsRevoked: 1, devicesForgotten: 2 },
    });
    expect(await devicesOf(target.id)).toBe(0);
  });

  it('keeps the trusted devices of a demoted account, which still signs in', async () => {
    const target = await h.seed('manager');
    await trustDevice(target.id);
    const res = await h.api.patch(`/admin/users/${target.id}`, {
      token: root.accessToken,
      body: { role: 'user' },
    });
    expect(res.status).toBe(200);
    expect(await devicesOf(target.id)).toBe(1);
  });

  it('unlocks: reactivates the account and clears its sign-in lockout', async () => {
    const target = await h.seed('user', { email: 'locked.out@example.com' });
    await h.api.post(`/admin/users/${target.id}/lock`, { token: root.accessToken });
    const { redis } = h.admin.resources;
    const keys = identifierLockoutKeys('locked.out@example.com');
    for (const key of keys) await redis.set(key, '1', 'EX', 600);
    const other = identifierLockoutKeys('someone.else@example.com');
    await redis.set(other[1] ?? '', '1', 'EX', 600);

    const res = await h.api.post<UserBody>(`/admin/users/${target.id}/unlock`, { token: root.accessToken });
    expect([res.status, res.body.user.accountStatus]).toEqual([200, 'active']);
    expect(await redis.exists(...keys)).toBe(0);
    expect(await redis.exists(other[1] ?? '')).toBe(1);
    const record = await h.waitFor(
      'logs',
      'the unlock audit',
      isAudit({ action: 'user.unlock', targetId: target.id }),
    );
    expect(record).toMatchObject({
      actorId: root.id,
      before: { status: 'suspended' },
      after: { status: 'active' },
    });
  });

  it('is refused to managers', async () => {
    for (const action of ['lock', 'unlock', 'restore']) {
      const res = await h.api.post(`/admin/users/${root.id}/${action}`, { token: manager.accessToken });
      expect([action, res.status, res.body.code]).toEqual([action, 403, 'forbidden']);
    }
    const del = await h.api.delete(`/admin/users/${root.id}`, { token: manager.accessToken });
    expect(del.status).toBe(403);
  });
});

describe('DELETE /admin/users/:id and POST /admin/users/:id/restore', () => {
  it('soft deletes: hidden from the list, kept with deleted=true, address still taken', async () => {
    const target = await h.seed('user', { email: 'leaving@example.com' });
    await trustDevice(target.id);
    const res = await h.api.delete(`/admin/users/${target.id}`, { token: root.accessToken });
    expect(res.status).toBe(204);
    expect((await h.api.get('/admin/users', { token: target.accessToken })).status).toBe(401);
    expect(await devicesOf(target.id)).toBe(0);

    const live = await h.api.get<Page>('/admin/users?q=leaving', { token: root.accessToken });
    expect(live.body.total).toBe(0);
    const deleted = await h.api.get<Page>('/admin/users?deleted=true', { token: root.accessToken });
    expect(deleted.body.users.map((u) => u.email)).toEqual(['leaving@example.com']);
    expect((await getUser(target.id)).body.user.accountStatus).toBe('deactivated');
    const again = await h.api.post('/admin/users', {
      token: root.accessToken,
      body: { email: 'leaving@example.com' },
    });
    expect(again.body.code).toBe('email_taken');

    expect(
      await h.waitFor('events', 'user.deleted', matching('user.deleted', { userId: target.id })),
    ).toEqual({
      userId: target.id,
      reason: 'admin',
    });
    await h.waitFor(
      'logs',
      'the delete audit',
      isAudit({ action: 'user.delete', targetId: target.id, actorId: root.id }),
    );
  });

  it('refuses edits to a deleted account until it is restored', async () => {
    const target = await h.seed('user');
    await h.api.delete(`/admin/users/${target.id}`, { token: root.accessToken });
    const patch = await h.api.patch(`/admin/users/${target.id}`, {
      token: root.accessToken,
      body: { displayName: 'x' },
    });
    expect([patch.status, patch.body.code]).toEqual([409, 'user_deleted']);

    const res = await h.api.post<UserBody>(`/admin/users/${target.id}/restore`, { token: root.accessToken });
    expect([res.status, res.body.user.accountStatus]).toEqual([200, 'active']);
    const listed = await h.api.get<Page>(`/admin/users?q=${encodeURIComponent(target.email)}`, {
      token: root.accessToken,
    });
    expect(listed.body.users.map((u) => u.id)).toEqual([target.id]);
    expect(
      await h.waitFor('events', 'user.restored', matching('user.restored', { userId: target.id })),
    ).toEqual({
      userId: target.id,
    });
    await h.waitFor('logs', 'the restore audit', isAudit({ action: 'user.restore', targetId: target.id }));
  });

  it('refuses deleted=1 and other spellings with validation_failed', async () => {
    const res = await h.api.get('/admin/users?deleted=1', { token: root.accessToken });
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
  });
});

// Last: it demotes root, whose token then stops working.
describe('two admins demoting each other at once', () => {
  const sql = <T extends Record<string, unknown>[]>(query: string, params: unknown[] = []) =>
    h.admin.resources.orm.em.fork().getConnection().execute<T>(query, params);

  it('lets exactly one win, every time, and always leaves an admin', async () => {
    for (let round = 0; round < 10; round += 1) {
      // Set-up, not the behaviour under test: no admin but the two racers.
      await sql("update users set role = 'manager' where role = 'admin'");
      const [a, b] = [await h.seed('admin'), await h.seed('admin')];
      const results = await Promise.all([
        h.api.patch(`/admin/users/${b.id}`, { token: a.accessToken, body: { role: 'user' } }),
        h.api.patch(`/admin/users/${a.id}`, { token: b.accessToken, body: { role: 'user' } }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      // The loser is refused with last_admin, or with 401 if the winner's commit revoked it first.
      expect(statuses[0]).toBe(200);
      expect([401, 409]).toContain(statuses[1]);
      const [row] = await sql<{ count: string }[]>(
        "select count(*) as count from users where role = 'admin' and status = 'active'",
      );
      expect([round, Number(row?.count)]).toEqual([round, 1]);
    }
  });
});
