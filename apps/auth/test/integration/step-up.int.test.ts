import type { ApiClient, TestEnvironment, TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { registerAndLogin, startAuth, STRONG_PASSWORD, type LoggedIn } from './harness.js';
import { enableTwoFactor, freshCode } from './totp-client.js';

let env: TestEnvironment;
let auth: TestService<AuthConfig>;
let api: ApiClient;

beforeAll(async () => {
  ({ env, auth, api } = await startAuth({ LOCKOUT_THRESHOLD: '3', STEP_UP_MAX_AGE_SECONDS: '120' }));
});
afterAll(() => env.close());

function claimsOf(accessToken: string): { sid: string; auth_time?: number } {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sid: string; auth_time?: number };
}

/** The user signed in an hour ago: their session's sign-in is aged and a refreshed token carries it. */
async function signedInLongAgo<U extends LoggedIn>(user: U): Promise<U> {
  await auth.resources.orm.em
    .fork()
    .getConnection()
    .execute(`update sessions set authenticated_at = now() - interval '1 hour' where id = ?`, [
      claimsOf(user.accessToken).sid,
    ]);
  const refreshed = await api.post<{ accessToken: string; refreshToken: string }>('/token/refresh', {
    body: { refreshToken: user.refreshToken },
  });
  expect(refreshed.status).toBe(200);
  return { ...user, ...refreshed.body };
}

const reauthenticate = (user: LoggedIn, body: object) =>
  api.post<{ accessToken: string; authTime: number; code?: string }>('/account/reauthenticate', {
    token: user.accessToken,
    body,
  });

describe('step-up before sensitive changes', () => {
  it('stamps every access token with auth_time, the sign-in time, kept across refreshes', async () => {
    const before = Math.floor(Date.now() / 1000);
    const user = await registerAndLogin(api);
    const signedInAt = claimsOf(user.accessToken).auth_time ?? 0;
    expect(signedInAt).toBeGreaterThanOrEqual(before);
    const refreshed = await api.post<{ accessToken: string }>('/token/refresh', {
      body: { refreshToken: user.refreshToken },
    });
    expect(claimsOf(refreshed.body.accessToken).auth_time).toBe(signedInAt);
  });

  it('refuses 2FA setup after an old sign-in with an RFC 9470 challenge, then allows it after the password', async () => {
    const user = await signedInLongAgo(await registerAndLogin(api));
    const refused = await api.post('/2fa/setup', { token: user.accessToken });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'reauthentication_required', maxAge: 120 });
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_user_authentication", max_age=120',
    );

    const stepped = await reauthenticate(user, { password: STRONG_PASSWORD });
    expect(stepped.status).toBe(200);
    expect(stepped.headers['cache-control']).toBe('no-store');
    const setup = await api.post('/2fa/setup', { token: stepped.body.accessToken });
    expect(setup.status).toBe(200);
  });

  it('takes a current TOTP code or a recovery code, each once, from an account with 2FA', async () => {
    const user = await signedInLongAgo(await enableTwoFactor(api, await registerAndLogin(api)));
    const code = await freshCode(user);
    expect((await reauthenticate(user, { code })).status).toBe(200);
    const replayed = await reauthenticate(user, { code });
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ code: 'code_reused' });
    const [recoveryCode] = user.recoveryCodes;
    expect((await reauthenticate(user, { recoveryCode })).status).toBe(200);
    expect((await reauthenticate(user, { recoveryCode })).body).toMatchObject({ code: 'invalid_code' });
  });

  it('refuses unlinking a provider after an old sign-in', async () => {
    const user = await signedInLongAgo(await registerAndLogin(api));
    const res = await api.delete('/oauth/identities/github', { token: user.accessToken });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'reauthentication_required' });
  });

  it('counts wrong passwords toward the lockout of the address, so a stolen token cannot guess freely', async () => {
    const user = await registerAndLogin(api);
    for (let i = 0; i < 3; i++) {
      const wrong = await reauthenticate(user, { password: `wrong-password-${i}-guess` });
      expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });
    }
    const locked = await reauthenticate(user, { password: STRONG_PASSWORD });
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ code: 'account_locked' });
    const login = await api.post('/login', { body: { email: user.email, password: STRONG_PASSWORD } });
    expect(login.body).toMatchObject({ code: 'account_locked' });
  });

  it('refuses a revoked session and a malformed proof', async () => {
    const user = await registerAndLogin(api);
    expect((await reauthenticate(user, { password: STRONG_PASSWORD, code: '123456' })).status).toBe(400);
    expect((await api.post('/logout', { token: user.accessToken })).status).toBe(204);
    const revoked = await reauthenticate(user, { password: STRONG_PASSWORD });
    expect(revoked.status).toBe(401);
  });
});
