import { hashToken } from '@platform/db';
import type { SeededUser } from '@platform/testkit';
import { isAudit, matching, startHarness, type Harness } from './harness.js';

type UserBody = {
  user: { id: string; email: string; role: string; displayName: string; accountStatus: string };
};

let h: Harness;
let root: SeededUser;
let manager: SeededUser;
let plain: SeededUser;

beforeAll(async () => {
  h = await startHarness({ PUBLIC_WEB_URL: 'https://app.example.test', INVITE_TTL_SECONDS: '3600' });
  root = await h.seed('admin', { email: 'root@example.com' });
  manager = await h.seed('manager', { email: 'boss@example.com' });
  plain = await h.seed('user', { email: 'pat@example.com' });
});
afterAll(() => h.close());

const idOf = (email: string) =>
  h.admin.resources.orm.em
    .fork()
    .getConnection()
    .execute<{ id: string }[]>('select id from users where email = ?', [email])
    .then((rows) => rows[0]?.id);

describe('POST /admin/users', () => {
  it('creates a passwordless account and mails an invitation with a set-password link', async () => {
    const res = await h.api.post<UserBody>('/admin/users', {
      token: root.accessToken,
      body: { email: '  New.Person@Example.COM ', displayName: 'New Person', role: 'manager' },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email: 'new.person@example.com',
      role: 'manager',
      displayName: 'New Person',
      accountStatus: 'active',
      emailVerified: false,
    });
    const mail = await h.waitFor<{ setPasswordUrl: string; expiresAt: string; userId: string }>(
      'email',
      'the invitation',
      (e) => e.type === 'email.send' && (e.payload as { to?: string }).to === 'new.person@example.com',
    );
    expect(mail).toMatchObject({
      template: 'account_invite',
      userId: res.body.user.id,
      displayName: 'New Person',
    });
    const link = new URL(mail.setPasswordUrl);
    expect(link.origin + link.pathname).toBe('https://app.example.test/reset-password');
    const token = link.searchParams.get('token') ?? '';
    const [stored] = await h.admin.resources.orm.em
      .fork()
      .getConnection()
      .execute<{ purpose: string; user_id: string; expires_at: Date }[]>(
        'select purpose, user_id, expires_at from account_tokens where token_hash = ?',
        [hashToken(token)],
      );
    expect(stored).toMatchObject({ purpose: 'password_reset', user_id: res.body.user.id });
    expect(new Date(mail.expiresAt).getTime() - Date.now()).toBeGreaterThan(3500_000);
    expect(new Date(mail.expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    const [row] = await h.admin.resources.orm.em
      .fork()
      .getConnection()
      .execute<{ password_hash: string | null }[]>('select password_hash from users where id = ?', [
        res.body.user.id,
      ]);
    expect(row?.password_hash).toBeNull();
    const registered = await h.waitFor(
      'events',
      'user.registered',
      matching('user.registered', { userId: res.body.user.id }),
    );
    expect(registered).toEqual({
      userId: res.body.user.id,
      email: 'new.person@example.com',
      role: 'manager',
      displayName: 'New Person',
    });
  });

  it('audits the creation with the actor and the new account', async () => {
    const res = await h.api.post<UserBody>('/admin/users', {
      token: root.accessToken,
      body: { email: 'audited@example.com' },
    });
    expect(res.body.user).toMatchObject({ role: 'user', displayName: 'audited' });
    const record = await h.waitFor(
      'logs',
      'the creation audit',
      isAudit({ action: 'user.create', targetId: res.body.user.id }),
    );
    expect(record).toMatchObject({
      service: 'admin',
      actorId: root.id,
      after: { email: 'audited@example.com', role: 'user', displayName: 'audited' },
    });
  });

  it('refuses an address that is already taken, whatever its case, with email_taken', async () => {
    const res = await h.api.post('/admin/users', {
      token: root.accessToken,
      body: { email: 'PAT@example.com' },
    });
    expect([res.status, res.body.code]).toEqual([409, 'email_taken']);
  });

  it.each([
    [{ email: 'not-an-email' }],
    [{}],
    [{ email: 'x@example.com', role: 'root' }],
    [{ email: 'x@example.com', displayName: '' }],
    [{ email: 'x@example.com', password: 'secret' }],
  ])('refuses %j with validation_failed', async (body) => {
    const res = await h.api.post('/admin/users', { token: root.accessToken, body });
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    expect(await idOf('x@example.com')).toBeUndefined();
  });

  it('is for admins only', async () => {
    for (const caller of [manager, plain]) {
      const res = await h.api.post('/admin/users', {
        token: caller.accessToken,
        body: { email: `by-${caller.role}@example.com` },
      });
      expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
      expect(await idOf(`by-${caller.role}@example.com`)).toBeUndefined();
    }
  });
});

describe('GET /admin/users/:id', () => {
  it('shows one account to admins and managers', async () => {
    for (const caller of [root, manager]) {
      const res = await h.api.get<UserBody>(`/admin/users/${plain.id}`, { token: caller.accessToken });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: plain.id, email: 'pat@example.com', role: 'user' });
    }
  });

  it('refuses plain users', async () => {
    const res = await h.api.get(`/admin/users/${plain.id}`, { token: plain.accessToken });
    expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
  });

  it('answers not_found for an unknown id and validation_failed for a malformed one', async () => {
    const missing = await h.api.get('/admin/users/00000000-0000-4000-8000-000000000000', {
      token: root.accessToken,
    });
    expect([missing.status, missing.body.code]).toEqual([404, 'not_found']);
    const junk = await h.api.get('/admin/users/not-a-uuid', { token: root.accessToken });
    expect([junk.status, junk.body.code]).toEqual([400, 'validation_failed']);
  });
});

describe('PATCH /admin/users/:id', () => {
  it('changes name and role, announces the changed fields and audits before and after', async () => {
    const target = await h.seed('user', { displayName: 'Old Name' });
    const res = await h.api.patch<UserBody>(`/admin/users/${target.id}`, {
      token: root.accessToken,
      body: { displayName: 'New Name', role: 'manager' },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ displayName: 'New Name', role: 'manager' });
    const record = await h.waitFor(
      'logs',
      'the update audit',
      isAudit({ action: 'user.update', targetId: target.id }),
    );
    expect(record).toMatchObject({
      actorId: root.id,
      before: { displayName: 'Old Name', role: 'user' },
      after: { displayName: 'New Name', role: 'manager' },
    });
    const updated = await h.waitFor(
      'events',
      'user.updated',
      matching('user.updated', { userId: target.id }),
    );
    expect(updated).toEqual({ userId: target.id, changes: ['displayName', 'role'] });
  });

  it('lets a manager change nothing, least of all a role', async () => {
    for (const body of [{ role: 'admin' }, { displayName: 'Hacked' }]) {
      const res = await h.api.patch(`/admin/users/${manager.id}`, { token: manager.accessToken, body });
      expect([res.status, res.body.code]).toEqual([403, 'forbidden']);
    }
    const after = await h.api.get<UserBody>(`/admin/users/${manager.id}`, { token: root.accessToken });
    expect(after.body.user).toMatchObject({ role: 'manager', displayName: 'boss' });
  });

  it('refuses an empty change, unknown fields and deactivated as a status', async () => {
    for (const body of [{}, { email: 'a@b.co' }, { status: 'deactivated' }, { role: 'owner' }]) {
      const res = await h.api.patch(`/admin/users/${plain.id}`, { token: root.accessToken, body });
      expect([JSON.stringify(body), res.status, res.body.code]).toEqual([
        JSON.stringify(body),
        400,
        'validation_failed',
      ]);
    }
  });

  it('answers not_found for an unknown account', async () => {
    const res = await h.api.patch('/admin/users/00000000-0000-4000-8000-000000000000', {
      token: root.accessToken,
      body: { displayName: 'Nobody' },
    });
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });
});

describe('methods on /admin/users', () => {
  it('answers a wrong method with 405 method_not_allowed and the methods it takes', async () => {
    const res = await h.api.request('PUT', '/admin/users', { token: root.accessToken, body: {} });
    expect([res.status, res.body.code]).toEqual([405, 'method_not_allowed']);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.headers.allow?.split(', ').sort()).toEqual(['GET', 'HEAD', 'POST']);
  });
});
