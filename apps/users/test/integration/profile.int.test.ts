import { randomUUID } from 'node:crypto';
import { loadConfig } from '@platform/config';
import { Media } from '@platform/db';
import { MailSeal } from '@platform/runtime';
import {
  apiClient,
  createTestEnvironment,
  eventually,
  seedMedia,
  seedUser,
  type ApiClient,
  type TestEnvironment,
  type TestService,
} from '@platform/testkit';
import { composeUsers, createApp } from '../../src/app.js';
import { usersConfigSchema, type UsersConfig } from '../../src/config.js';

let env: TestEnvironment;
let users: TestService<UsersConfig>;
let api: ApiClient;

beforeAll(async () => {
  env = await createTestEnvironment();
  users = await env.start(
    'users',
    (e) => loadConfig(usersConfigSchema, e),
    async (config, r) => createApp(await composeUsers({ ...r, config })),
  );
  api = apiClient(users.url);
});
afterAll(() => env.close());

describe('GET /profile', () => {
  it("returns the caller's profile in the contract's shape", async () => {
    const me = await seedUser(
      { orm: users.resources.orm, tokens: env.tokens },
      { displayName: 'Grace Hopper' },
    );
    const res = await api.get('/profile', { token: me.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      id: me.id,
      email: me.email,
      role: 'user',
      displayName: 'Grace Hopper',
      avatarUrl: null,
      status: null,
      accountStatus: 'active',
      emailVerified: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('answers 401 without a valid token', async () => {
    const res = await api.get('/profile');
    expect([res.status, res.body.code]).toEqual([401, 'unauthorized']);
    expect((await api.get('/profile', { token: 'x.y.z' })).body.code).toBe('invalid_token');
  });
});

describe('PATCH /profile', () => {
  it('updates display name, avatar and status, and clears them with null', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const patch = { displayName: 'Ada L.', avatarUrl: 'https://cdn.example.com/a.png', status: 'Computing' };
    const res = await api.patch('/profile', { token: me.accessToken, body: patch });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject(patch);
    expect((await api.get('/profile', { token: me.accessToken })).body).toMatchObject(patch);
    const cleared = await api.patch('/profile', {
      token: me.accessToken,
      body: { avatarUrl: null, status: null },
    });
    expect(cleared.body).toMatchObject({ displayName: 'Ada L.', avatarUrl: null, status: null });
  });

  it.each([
    [{ avatarUrl: 'http://insecure.example.com/a.png' }, 'avatarUrl', /https/],
    [{ avatarUrl: 'javascript:alert(1)' }, 'avatarUrl', /https/],
    [{ displayName: '' }, 'displayName', /./],
    [{ displayName: 'x'.repeat(65) }, 'displayName', /./],
    [{ displayName: '<script>alert(1)</script>' }, 'displayName', /letters/],
    [{ status: 'a\u0000b' }, 'status', /control/],
    [{ role: 'admin' }, '(body)', /unknown field\(s\): role/],
    [{ email: 'not-an-address' }, 'email', /email/i],
    [{}, '(body)', /at least one/],
  ])('refuses %j with validation_failed naming %s', async (body, path, message) => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const res = await api.patch('/profile', { token: me.accessToken, body });
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
    const errors = res.body.errors as { path: string; message: string }[];
    expect(errors.some((e) => e.path === path && message.test(e.message))).toBe(true);
    expect((await api.get('/profile', { token: me.accessToken })).body.role).toBe('user');
  });
});

describe('PATCH /profile avatarMediaId', () => {
  /** An upload as the media service records it. */
  const seedUpload = (ownerId: string, purpose: 'avatar' | 'attachment') =>
    seedMedia(users.resources, ownerId, { purpose, name: 'me.png', sha256: 'b'.repeat(64) });

  it("sets the avatar to an own avatar upload's square crop, shows it in the profile and keeps the upload", async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const mediaId = await seedUpload(me.id, 'avatar');
    const res = await api.patch('/profile', { token: me.accessToken, body: { avatarMediaId: mediaId } });
    expect(res.status).toBe(200);
    // Signed, so an <img src> loads it without a token.
    const signed = new RegExp(`^/media/${mediaId}/thumbnail\\?exp=\\d+&sig=[\\w-]+$`);
    expect(res.body.avatarUrl).toMatch(signed);
    expect((await api.get('/profile', { token: me.accessToken })).body.avatarUrl).toMatch(signed);
    const stored = await users.resources.orm.em.fork().findOneOrFail(Media, { id: mediaId });
    expect(stored.attachedAt).not.toBeNull();
    const cleared = await api.patch('/profile', { token: me.accessToken, body: { avatarMediaId: null } });
    expect(cleared.body.avatarUrl).toBeNull();
  });

  it("refuses someone else's upload (404) and an attachment (400)", async () => {
    const [me, other] = await Promise.all([
      seedUser({ orm: users.resources.orm, tokens: env.tokens }),
      seedUser({ orm: users.resources.orm, tokens: env.tokens }),
    ]);
    const theirs = await seedUpload(other.id, 'avatar');
    const notAvatar = await seedUpload(me.id, 'attachment');
    const foreign = await api.patch('/profile', { token: me.accessToken, body: { avatarMediaId: theirs } });
    expect([foreign.status, foreign.body.code]).toEqual([404, 'not_found']);
    const attachment = await api.patch('/profile', {
      token: me.accessToken,
      body: { avatarMediaId: notAvatar },
    });
    expect([attachment.status, attachment.body.code]).toEqual([400, 'validation_failed']);
    expect((await api.get('/profile', { token: me.accessToken })).body.avatarUrl).toBeNull();
  });
});

describe('GET /user-data', () => {
  it("exports the caller's own profile and sessions, and nobody else's", async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const res = await api.get<{ profile: { id: string }; sessions: { id: string }[] }>('/user-data', {
      token: me.accessToken,
    });
    expect(res.status).toBe(200);
    expect(res.body.profile.id).toBe(me.id);
    expect(res.body.sessions.map((s) => s.id)).toEqual([me.sessionId]);
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash/i);
  });

  it('answers 401 without a token', async () => {
    expect((await api.get('/user-data')).status).toBe(401);
  });
});

describe('PATCH /profile email', () => {
  it('changes the address, marks it unverified, mails a verification link to the new one and tells the old one', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const consumed: Array<{ type: string; payload: Record<string, unknown> }> = [];
    const onTheWire: string[] = [];
    const consumer = await users.resources.bus.consume('email', async (envelope) => {
      onTheWire.push(JSON.stringify(envelope.payload));
      // Opened as worker-email would (the test runs with the dev key).
      const mail = MailSeal.fromKeys(undefined).open(envelope);
      consumed.push({ type: envelope.type, payload: mail });
    });
    try {
      const next = `Moved-${me.email}`;
      const res = await api.patch('/profile', { token: me.accessToken, body: { email: `  ${next} ` } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email: next.toLowerCase(), emailVerified: false });
      const mine = () => consumed.filter((e) => e.payload.userId === me.id);
      await eventually('the two mail commands', () => mine().length === 2);
      const verify = mine().find((e) => e.payload.template === 'verify_email');
      expect(verify).toMatchObject({
        type: 'email.send',
        payload: { to: next.toLowerCase(), userId: me.id },
      });
      expect(String(verify?.payload.verifyUrl)).toMatch(/\/verify-email\?token=[\w-]{43}$/);
      const notice = mine().find((e) => e.payload.template === 'email_changed');
      expect(notice).toMatchObject({
        type: 'email.send',
        payload: { to: me.email, newEmail: next.toLowerCase(), userId: me.id },
      });
      expect(String(notice?.payload.revertUrl)).toMatch(/\/revert-email\?token=[\w-]{43}$/);
      // Sealed on the wire: neither the links' tokens nor the addresses are in clear.
      for (const raw of onTheWire) {
        expect(raw).toMatch(/^\{"sealed":"v1:dev-insecure:/);
        expect(raw).not.toContain('token=');
        expect(raw).not.toContain(me.email);
      }
    } finally {
      await consumer.cancel();
    }
  });

  it("refuses another account's address with 409 email_taken and changes nothing", async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const other = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const res = await api.patch('/profile', { token: me.accessToken, body: { email: other.email } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'email_taken' });
    expect((await api.get<{ email: string }>('/profile', { token: me.accessToken })).body.email).toBe(
      me.email,
    );
  });
});

describe('GET /people', () => {
  it('names other users by id with their avatars, never their email, and leaves out unknown ids', async () => {
    const seeds = { orm: users.resources.orm, tokens: env.tokens };
    const me = await seedUser(seeds, { displayName: 'Ada' });
    const other = await seedUser(seeds, { displayName: 'Grace' });
    const ids = [other.id, randomUUID()].join(',');
    const res = await api.get(`/people?ids=${ids}`, { token: me.accessToken });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ people: [{ id: other.id, displayName: 'Grace', avatarUrl: null }] });
    expect(JSON.stringify(res.body)).not.toContain('@');
  });

  it('refuses a malformed or too long list, and callers without a token', async () => {
    const me = await seedUser({ orm: users.resources.orm, tokens: env.tokens });
    const many = Array.from({ length: 101 }, () => randomUUID()).join(',');
    for (const ids of ['nope', '', many]) {
      const res = await api.get(`/people?ids=${ids}`, { token: me.accessToken });
      expect({
        ids: ids.slice(0, 8),
        status: res.status,
        code: (res.body as { code?: string }).code,
      }).toEqual({
        ids: ids.slice(0, 8),
        status: 400,
        code: 'validation_failed',
      });
    }
    expect((await api.get(`/people?ids=${me.id}`)).status).toBe(401);
  });
});
