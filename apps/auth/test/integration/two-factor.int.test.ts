import type { ApiClient, TestEnvironment, TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { newEmail, registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';
import { enableTwoFactor, freshCode, passwordStep, staleCode } from './totp-client.js';

let env: TestEnvironment;
let auth: TestService<AuthConfig>;
let api: ApiClient;

beforeAll(async () => {
  ({ env, auth, api } = await startAuth({ LOCKOUT_THRESHOLD: '5', LOCKOUT_DURATION_SECONDS: '2' }));
});
afterAll(() => env.close());

const login = (email: string, password = STRONG_PASSWORD) =>
  api.post('/login', { body: { email, password } });
const secondStep = (body: object) =>
  api.post<{ accessToken: string; refreshToken: string; user: { id: string }; code: string }>('/login/2fa', {
    body,
  });

describe('POST /2fa/setup and /2fa/enable', () => {
  it('changes nothing at sign-in until a right code from the latest secret enables it', async () => {
    const user = await registerAndLogin(api);
    const setup = await api.post<{ secret: string; otpauthUrl: string; qrCode: string }>('/2fa/setup', {
      token: user.accessToken,
    });
    expect(setup.status).toBe(200);
    expect(setup.headers['cache-control']).toBe('no-store');
    expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.body.otpauthUrl).toBe(
      `otpauth://totp/Platform:${encodeURIComponent(user.email)}?secret=${setup.body.secret}` +
        '&issuer=Platform&algorithm=SHA1&digits=6&period=30',
    );
    expect(setup.body.qrCode).toMatch(/^data:image\/png;base64,/);
    expect((await login(user.email)).status).toBe(200);

    const enable = (code: string) => api.post('/2fa/enable', { token: user.accessToken, body: { code } });
    const wrong = await enable(staleCode(setup.body.secret));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ code: 'code_mismatch' });
    expect(
      (await enable(` ${(await freshCode({ ...setup.body, usedSteps: new Set() })).slice(1)}`)).status,
    ).toBe(400);

    // A second setup replaces the pending secret: a code from the first no longer enables.
    const again = await api.post<{ secret: string }>('/2fa/setup', { token: user.accessToken });
    expect(again.body.secret).not.toBe(setup.body.secret);
    const oldCode = await freshCode({ secret: setup.body.secret, usedSteps: new Set() });
    expect((await enable(oldCode)).body).toMatchObject({ code: 'code_mismatch' });
    const enabled = await enable(await freshCode({ secret: again.body.secret, usedSteps: new Set() }));
    expect(enabled.status).toBe(200);
    const { recoveryCodes } = enabled.body as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    expect((await api.post('/2fa/setup', { token: user.accessToken })).body).toMatchObject({
      code: 'totp_already_enabled',
    });
    expect((await enable('123456')).status).toBe(409);
    expect((await login(user.email)).body).toMatchObject({ code: 'totp_required' });
  });

  it('asks for setup first', async () => {
    const user = await registerAndLogin(api);
    const res = await api.post('/2fa/enable', { token: user.accessToken, body: { code: '123456' } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'totp_not_pending' });
  });

  it('keeps the secret sealed and the recovery codes hashed at rest', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    const db = auth.resources.orm.em.fork().getConnection();
    const [row] = await db.execute<{ secret_enc: string; pending_secret_enc: string | null }[]>(
      'select secret_enc, pending_secret_enc from user_totp where user_id = ?',
      [user.userId],
    );
    expect(row?.secret_enc).toMatch(/^v1:dev-insecure:/);
    expect(row?.secret_enc).not.toContain(user.secret);
    expect(row?.pending_secret_enc).toBeNull();
    const hashes = await db.execute<{ code_hash: string }[]>(
      'select code_hash from totp_recovery_codes where user_id = ?',
      [user.userId],
    );
    expect(hashes).toHaveLength(10);
    const stored = hashes.map((h) => h.code_hash).join(' ');
    for (const code of user.recoveryCodes) expect(stored).not.toContain(code.replace('-', ''));
  });

  it('is for signed-in callers only', async () => {
    for (const path of ['/2fa/setup', '/2fa/enable', '/2fa/disable'])
      expect((await api.post(path, { body: {} })).status).toBe(401);
  });
});

describe('POST /login with 2FA, then POST /login/2fa', () => {
  it('answers 401 totp_required with a challenge, and signs in with it and a code', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    const first = await api.post('/login', {
      body: { email: user.email, password: STRONG_PASSWORD, remember: true },
    });
    expect(first.status).toBe(401);
    expect(first.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(first.body).toMatchObject({ code: 'totp_required', expiresIn: 300 });
    expect(first.body).not.toHaveProperty('accessToken');
    const { challenge } = first.body as { challenge: string };
    expect(challenge).toMatch(/^[\w-]{43}$/);

    const code = await freshCode(user);
    const res = await secondStep({ challenge, code });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ tokenType: 'Bearer', user: { id: user.userId } });
    expect((await api.get('/sessions', { token: res.body.accessToken })).status).toBe(200);
    expect((await api.post('/token/refresh', { body: { refreshToken: res.body.refreshToken } })).status).toBe(
      200,
    );

    // The challenge is single-use; the code, once used, is refused even with a new challenge.
    expect((await secondStep({ challenge, code: staleCode(user.secret) })).body).toMatchObject({
      code: 'invalid_challenge',
    });
    const next = await passwordStep(api, user.email);
    const replay = await secondStep({ challenge: next, code });
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ code: 'code_reused' });
    // A wrong code does not end the challenge.
    expect((await secondStep({ challenge: next, code: await freshCode(user) })).status).toBe(200);
  });

  it('takes each recovery code once, however it is typed', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    const [recoveryCode = ''] = user.recoveryCodes;
    const typed = ` ${recoveryCode.toUpperCase()} `;
    const res = await secondStep({ challenge: await passwordStep(api, user.email), recoveryCode: typed });
    expect(res.status).toBe(200);
    const again = await secondStep({ challenge: await passwordStep(api, user.email), recoveryCode });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'invalid_code' });
    const other = user.recoveryCodes[1] ?? '';
    expect(
      (await secondStep({ challenge: await passwordStep(api, user.email), recoveryCode: other })).status,
    ).toBe(200);
  });

  it('counts wrong codes toward the lockout, and a right password does not reset it', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    // Budget 5: two wrong passwords, the right one (still counted: no second factor yet), two wrong codes.
    for (let i = 0; i < 2; i++) expect((await login(user.email, 'wrong-guess-wrong-guess')).status).toBe(401);
    const challenge = await passwordStep(api, user.email);
    expect((await secondStep({ challenge, code: staleCode(user.secret) })).body).toMatchObject({
      code: 'invalid_code',
    });
    expect((await secondStep({ challenge, code: staleCode(user.secret) })).status).toBe(401);
    // The fifth attempt locked the address, and the lock ended the challenge with it.
    expect((await secondStep({ challenge, code: staleCode(user.secret) })).body).toMatchObject({
      code: 'invalid_challenge',
    });
    const locked = await login(user.email);
    expect(locked.status).toBe(423);
    expect(locked.body).toMatchObject({ code: 'account_locked' });

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const res = await secondStep({
      challenge: await passwordStep(api, user.email),
      code: await freshCode(user),
    });
    expect(res.status).toBe(200);
    // A completed sign-in starts the budget over: four more misses do not lock.
    for (let i = 0; i < 4; i++) expect((await login(user.email, 'wrong-guess-wrong-guess')).status).toBe(401);
    expect((await login(user.email)).body).toMatchObject({ code: 'totp_required' });
  });

  it('ends a challenge at its fifth wrong code even when the lockout allows more', async () => {
    const lenient = await startAuth({ LOCKOUT_THRESHOLD: '50' }, env);
    const user = await enableTwoFactor(lenient.api, await registerAndLogin(lenient.api));
    const challenge = await passwordStep(lenient.api, user.email);
    for (let i = 0; i < 5; i++) {
      const res = await lenient.api.post('/login/2fa', { body: { challenge, code: staleCode(user.secret) } });
      expect(res.body).toMatchObject({ code: 'invalid_code' });
    }
    const res = await lenient.api.post('/login/2fa', { body: { challenge, code: staleCode(user.secret) } });
    expect(res.body).toMatchObject({ code: 'invalid_challenge' });
  });

  it('refuses unknown challenges and malformed bodies', async () => {
    expect((await secondStep({ challenge: 'x'.repeat(43), code: '123456' })).body).toMatchObject({
      code: 'invalid_challenge',
    });
    for (const body of [
      { challenge: 'abc' },
      { challenge: 'abc', code: '123456', recoveryCode: 'x' },
      { code: 1 },
    ])
      expect((await secondStep(body)).body).toMatchObject({ code: 'validation_failed' });
  });
});

describe('POST /2fa/disable', () => {
  it('needs the password and a current code, then sign-in asks for the password only', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    const disable = (body: object) => api.post('/2fa/disable', { token: user.accessToken, body });
    // The password is checked first, so the code here does not matter.
    const wrongPassword = await disable({ password: 'not-it-not-it-not-it', code: staleCode(user.secret) });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body).toMatchObject({ code: 'invalid_current_password' });
    const wrongCode = await disable({ password: STRONG_PASSWORD, code: staleCode(user.secret) });
    expect(wrongCode.body).toMatchObject({ code: 'code_mismatch' });
    expect((await disable({ password: STRONG_PASSWORD, code: await freshCode(user) })).status).toBe(204);

    expect((await login(user.email)).status).toBe(200);
    expect((await disable({ password: STRONG_PASSWORD, code: staleCode(user.secret) })).body).toMatchObject({
      code: 'totp_not_enabled',
    });
    // The recovery codes died with it.
    const db = auth.resources.orm.em.fork().getConnection();
    const left = await db.execute('select 1 from totp_recovery_codes where user_id = ?', [user.userId]);
    expect(left).toHaveLength(0);
  });

  it('takes a recovery code instead of a code', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api, newEmail('recover')));
    const res = await api.post('/2fa/disable', {
      token: user.accessToken,
      body: { password: STRONG_PASSWORD, recoveryCode: user.recoveryCodes[0] },
    });
    expect(res.status).toBe(204);
    expect((await login(user.email)).status).toBe(200);
  });
});
