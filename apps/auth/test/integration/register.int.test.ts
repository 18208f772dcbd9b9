import { seedUser, type ApiClient, type TestEnvironment, type TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { newEmail, registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';

let env: TestEnvironment;
let api: ApiClient;
let auth: TestService<AuthConfig>;

beforeAll(async () => {
  ({ env, api, auth } = await startAuth({ BODY_LIMIT: '2kb', BOOTSTRAP_ADMIN_EMAIL: '' }));
});
afterAll(() => env.close());

function expectProblem(
  res: { status: number; headers: Record<string, string>; body: Record<string, unknown> },
  status: number,
  code: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    status,
    code,
    type: expect.any(String),
    title: expect.any(String),
    detail: expect.any(String),
  });
}

describe('POST /register', () => {
  it('creates an account and returns it without any password material', async () => {
    const email = newEmail();
    const res = await api.post('/register', {
      body: { email: `  ${email.toUpperCase()} `, password: STRONG_PASSWORD, displayName: 'Ada' },
    });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({
      email,
      role: 'user',
      displayName: 'Ada',
      emailVerified: false,
      accountStatus: 'active',
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash|\$2b\$/i);
  });

  it('refuses a malformed email with invalid_email', async () => {
    expectProblem(
      await api.post('/register', { body: { email: 'not-an-email', password: STRONG_PASSWORD } }),
      400,
      'invalid_email',
    );
  });

  it('refuses a weak password with weak_password and says why', async () => {
    const res = await api.post('/register', { body: { email: newEmail(), password: 'password1234' } });
    expectProblem(res, 400, 'weak_password');
    expect(res.body.detail).toMatch(/too easy to guess/);
    const short = await api.post('/register', { body: { email: newEmail(), password: 'Xq7#' } });
    expectProblem(short, 400, 'weak_password');
    expect(short.body.detail).toMatch(/at least 12 characters/);
  });

  it('refuses broken JSON with invalid_json', async () => {
    expectProblem(await api.post('/register', { rawBody: '{"email": "a@b.co", ' }), 400, 'invalid_json');
  });

  it('refuses an oversized body with 413 payload_too_large', async () => {
    const res = await api.post('/register', { body: { email: newEmail(), password: 'x'.repeat(4000) } });
    expectProblem(res, 413, 'payload_too_large');
  });

  it('refuses unknown fields by name with validation_failed', async () => {
    const res = await api.post('/register', {
      body: { email: newEmail(), password: STRONG_PASSWORD, isAdmin: true },
    });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([{ path: '(body)', message: 'unknown field(s): isAdmin' }]);
  });

  it('lists every missing or mistyped field', async () => {
    const res = await api.post('/register', { body: { password: 42 } });
    expectProblem(res, 400, 'validation_failed');
    const paths = (res.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['email', 'password']);
  });

  it('answers 409 email_taken for the same address in another case', async () => {
    const email = newEmail('dup');
    expect((await api.post('/register', { body: { email, password: STRONG_PASSWORD } })).status).toBe(201);
    const again = await api.post('/register', {
      body: { email: email.toUpperCase(), password: STRONG_PASSWORD },
    });
    expectProblem(again, 409, 'email_taken');
  });

  it('gives exactly one of two concurrent registrations of one address', async () => {
    const email = newEmail('race');
    const results = await Promise.all(
      [1, 2, 3].map(() => api.post('/register', { body: { email, password: STRONG_PASSWORD } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('refuses role admin without an admin token, and from a plain user', async () => {
    expectProblem(
      await api.post('/register', { body: { email: newEmail(), password: STRONG_PASSWORD, role: 'admin' } }),
      403,
      'forbidden',
    );
    const user = await registerAndLogin(api);
    const res = await api.post('/register', {
      token: user.accessToken,
      body: { email: newEmail(), password: STRONG_PASSWORD, role: 'admin' },
    });
    expectProblem(res, 403, 'forbidden');
  });

  it('lets an admin create a manager or an admin', async () => {
    const root = await seedUser({ orm: auth.resources.orm, tokens: env.tokens }, { role: 'admin' });
    for (const role of ['manager', 'admin']) {
      const email = newEmail(role);
      const res = await api.post('/register', {
        token: root.accessToken,
        body: { email, password: STRONG_PASSWORD, role },
      });
      expect([res.status, (res.body.user as { role: string }).role]).toEqual([201, role]);
      const login = await api.post('/login', { body: { email, password: STRONG_PASSWORD } });
      expect((login.body.user as { role: string }).role).toBe(role);
    }
  });

  it('applies the profile rules to display names at registration', async () => {
    const res = await api.post('/register', {
      body: { email: newEmail(), password: STRONG_PASSWORD, displayName: '<img src=x>' },
    });
    expect([res.status, res.body.code]).toEqual([400, 'validation_failed']);
  });

  it('judges a pathological 128-character password and refuses it with a reason', async () => {
    const res = await api.post('/register', { body: { email: newEmail(), password: 'ab1!'.repeat(32) } });
    expect([res.status, res.body.code]).toEqual([400, 'weak_password']);
  });

  it('never shows a stack trace or internal name in a 404', async () => {
    const res = await api.get('/nope');
    expectProblem(res, 404, 'not_found');
    expect(JSON.stringify(res.body)).not.toMatch(/at |\.ts|node_modules/);
  });
});
