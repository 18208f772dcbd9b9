import type { ApiClient, TestEnvironment } from '@platform/testkit';
import { newEmail, registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';

let env: TestEnvironment;
let api: ApiClient;

const NEW_PASSWORD = 'copper-harbor-violin-93?';

beforeAll(async () => {
  ({ env, api } = await startAuth());
});
afterAll(() => env.close());

describe('POST /password/change', () => {
  it('needs the current password and a strong new one, then ends the other sessions only', async () => {
    const user = await registerAndLogin(api);
    const other = await api.post<{ refreshToken: string; accessToken: string }>('/login', {
      body: { email: user.email, password: STRONG_PASSWORD },
    });
    const change = (body: object) => api.post('/password/change', { token: user.accessToken, body });

    const wrong = await change({ currentPassword: 'not-it-not-it-not-it', newPassword: NEW_PASSWORD });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'invalid_current_password' });
    const weak = await change({ currentPassword: STRONG_PASSWORD, newPassword: 'password1234' });
    expect(weak.body).toMatchObject({ code: 'weak_password' });

    expect((await change({ currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD })).status).toBe(204);
    expect((await api.get('/sessions', { token: other.body.accessToken })).status).toBe(401);
    expect(
      (await api.post('/token/refresh', { body: { refreshToken: other.body.refreshToken } })).status,
    ).toBe(401);
    expect((await api.get('/sessions', { token: user.accessToken })).status).toBe(200);
    expect((await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      200,
    );
    expect(
      (await api.post('/login', { body: { email: user.email, password: STRONG_PASSWORD } })).status,
    ).toBe(401);
    expect((await api.post('/login', { body: { email: user.email, password: NEW_PASSWORD } })).status).toBe(
      200,
    );
  });

  it('is for signed-in callers only', async () => {
    const res = await api.post('/password/change', { body: { currentPassword: 'a', newPassword: 'b' } });
    expect(res.status).toBe(401);
  });
});

describe('POST /account/deactivate', () => {
  it('keeps the data and the address but refuses sign-in and refresh', async () => {
    const user = await registerAndLogin(api);
    const wrong = await api.post('/account/deactivate', {
      token: user.accessToken,
      body: { password: 'nope-nope-nope' },
    });
    expect(wrong.status).toBe(400);

    const res = await api.post('/account/deactivate', {
      token: user.accessToken,
      body: { password: STRONG_PASSWORD },
    });
    expect(res.status).toBe(204);
    expect((await api.get('/sessions', { token: user.accessToken })).status).toBe(401);
    expect((await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      401,
    );
    const login = await api.post('/login', { body: { email: user.email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(401);
    expect(login.body).toMatchObject({ code: 'invalid_credentials' });
    const again = await api.post('/register', { body: { email: user.email, password: STRONG_PASSWORD } });
    expect(again.status).toBe(409);
  });
});

describe('POST /password/forgot and /password/reset', () => {
  it('answers 202 with the same body whether or not the account exists', async () => {
    const { email } = await registerAndLogin(api);
    const known = await api.post('/password/forgot', { body: { email } });
    const unknown = await api.post('/password/forgot', { body: { email: newEmail('ghost') } });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
  });

  it('refuses an unknown token without changing anything', async () => {
    const res = await api.post('/password/reset', {
      body: { token: 'x'.repeat(43), password: NEW_PASSWORD },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_link' });
  });

  it('answers junk with validation_failed', async () => {
    const res = await api.post('/password/reset', { body: { token: 42 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
  });
});

describe('REQUIRE_EMAIL_VERIFICATION', () => {
  it('refuses sign-in until the address is verified', async () => {
    const strict = await startAuth({ REQUIRE_EMAIL_VERIFICATION: 'true' }, env);
    const email = newEmail();
    await strict.api.post('/register', { body: { email, password: STRONG_PASSWORD } });
    const res = await strict.api.post('/login', { body: { email, password: STRONG_PASSWORD } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'email_not_verified' });
  });
});
