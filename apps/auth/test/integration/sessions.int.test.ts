import { createHmac, createPrivateKey, randomUUID, sign as signBytes } from 'node:crypto';
import type { ApiClient, TestEnvironment } from '@platform/testkit';
import { generateKeyPair } from '@platform/tokens';
import { newEmail, registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';

let env: TestEnvironment;
let api: ApiClient;

beforeAll(async () => {
  ({ env, api } = await startAuth({ REFRESH_REUSE_GRACE_SECONDS: '1' }));
});
afterAll(() => env.close());

describe('POST /login', () => {
  it('returns a bearer pair with the user', async () => {
    const email = newEmail();
    await api.post('/register', { body: { email, password: STRONG_PASSWORD } });
    const res = await api.post('/login', { body: { email: email.toUpperCase(), password: STRONG_PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { email } });
    expect(res.body.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.body.refreshToken).toMatch(/^[\w-]{43}$/);
  });

  it('answers an unknown email and a wrong password with the same 401', async () => {
    const { email } = await registerAndLogin(api);
    const wrong = await api.post('/login', { body: { email, password: 'not-the-password-at-all' } });
    const unknown = await api.post('/login', {
      body: { email: newEmail('ghost'), password: 'not-the-password-at-all' },
    });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const strip = ({ requestId: _id, ...rest }: Record<string, unknown>) => rest;
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('spends a hash on unknown emails too, so timing does not tell them apart', async () => {
    // The real cost (Argon2id at OWASP's parameters, ~50 ms a hash) so that skipping the hash for
    // unknown emails would show plainly. 18 wrong passwords in a row would lock the account after 5;
    // the lockout has its own tests.
    const argon2Defaults = { ARGON2_MEMORY_KIB: '19456', ARGON2_TIME_COST: '2' };
    const { api: slow } = await startAuth({ ...argon2Defaults, LOCKOUT_THRESHOLD: '100' }, env);
    const { email } = await registerAndLogin(slow);
    const time = async (address: string) => {
      const started = performance.now();
      const res = await slow.post('/login', {
        body: { email: address, password: 'not-the-password-at-all' },
      });
      expect(res.status).toBe(401);
      return performance.now() - started;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      known.push(await time(email));
      unknown.push(await time(newEmail('ghost')));
    }
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.6);
    expect(median(unknown)).toBeLessThan(median(known) * 1.6);
  });
});

describe('access tokens on a protected route', () => {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const hmac = (header: object, payload: object, secret: string) => {
    const body = `${b64(header)}.${b64(payload)}`;
    return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
  };
  /** Signs with an Ed25519 private JWK, under any header: our own key (from the env) or a stranger's. */
  const sign = (header: object, payload: object, jwk: Record<string, string>) => {
    const { kid: _kid, alg: _alg, ...material } = jwk;
    const body = `${b64(header)}.${b64(payload)}`;
    const key = createPrivateKey({ key: material as never, format: 'jwk' });
    return `${body}.${signBytes(null, Buffer.from(body), key).toString('base64url')}`;
  };
  const ourKey = () =>
    (JSON.parse(env.env.JWT_PRIVATE_KEYS ?? '') as { keys: Record<string, string>[] }).keys[0] ?? {};
  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;

  it('accepts a genuine token', async () => {
    const user = await registerAndLogin(api);
    expect((await api.get('/sessions', { token: user.accessToken })).status).toBe(200);
  });

  it.each([
    ['no token', () => undefined, 'unauthorized'],
    ['garbage', () => 'garbage', 'invalid_token'],
  ])('refuses %s', async (_name, token, code) => {
    const res = await api.get('/sessions', token() ? { token: token() as string } : {});
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(code);
  });

  it("refuses alg none, HS256 keyed with the public key, a stranger's key, an expired token and a wrong audience", async () => {
    const user = await registerAndLogin(api);
    const claims = claimsOf(user.accessToken);
    const own = ourKey();
    const header = { alg: 'EdDSA', typ: 'JWT', kid: own.kid };
    const { privateJwk: stranger, publicJwk: strangerPublic } = generateKeyPair('EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      [`${b64({ alg: 'none', typ: 'JWT', kid: own.kid })}.${b64(claims)}.`, 'invalid_token'],
      [
        hmac({ alg: 'HS256', typ: 'JWT', kid: own.kid }, claims, env.env.JWT_PUBLIC_KEYS ?? ''),
        'invalid_token',
      ],
      [sign(header, claims, stranger), 'invalid_token'],
      [sign({ ...header, jwk: strangerPublic }, claims, stranger), 'invalid_token'],
      [sign(header, { ...claims, iat: now - 3600, exp: now - 60 }, own), 'token_expired'],
      [sign(header, { ...claims, aud: 'someone-else' }, own), 'invalid_token'],
    ];
    for (const [token, code] of cases) {
      const res = await api.get('/sessions', { token });
      expect([res.status, res.body.code]).toEqual([401, code]);
    }
  });

  it('refuses a role forged into the payload of a genuine token', async () => {
    const user = await registerAndLogin(api);
    const [header, , signature] = user.accessToken.split('.');
    const forged = `${header}.${b64({ ...claimsOf(user.accessToken), role: 'admin' })}.${signature}`;
    const res = await api.post('/register', {
      token: forged,
      body: { email: newEmail(), password: STRONG_PASSWORD, role: 'admin' },
    });
    expect(res.status).toBe(403);
    expect((await api.get('/sessions', { token: forged })).body.code).toBe('invalid_token');
  });
});

describe('POST /token/refresh', () => {
  it('rotates: the new pair works and the old refresh token does not', async () => {
    const user = await registerAndLogin(api);
    const first = await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect((await api.get('/sessions', { token: first.body.accessToken as string })).status).toBe(200);
    const second = await api.post('/token/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(second.status).toBe(200);
  });

  it('lets two tabs refresh the same token at once', async () => {
    const user = await registerAndLogin(api);
    const both = await Promise.all(
      [1, 2].map(() => api.post('/token/refresh', { body: { refreshToken: user.refreshToken } })),
    );
    expect(both.map((r) => r.status)).toEqual([200, 200]);
  });

  it('treats reuse after the grace window as theft and revokes the whole family', async () => {
    const user = await registerAndLogin(api);
    const rotated = await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } });
    await new Promise((r) => setTimeout(r, 1500));
    const replay = await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } });
    expect([replay.status, replay.body.code]).toEqual([401, 'token_reused']);
    const heir = await api.post('/token/refresh', { body: { refreshToken: rotated.body.refreshToken } });
    expect([heir.status, heir.body.code]).toEqual([401, 'token_revoked']);
    expect((await api.get('/sessions', { token: rotated.body.accessToken as string })).body.code).toBe(
      'token_revoked',
    );
  });

  it('refuses an unknown token and malformed bodies', async () => {
    expect((await api.post('/token/refresh', { body: { refreshToken: randomUUID() } })).body.code).toBe(
      'invalid_token',
    );
    expect((await api.post('/token/refresh', { body: { refreshToken: 42 } })).body.code).toBe(
      'validation_failed',
    );
    // No token in the body asks for the refresh cookie (browsers); without one there is nothing to refresh.
    expect((await api.post('/token/refresh', { body: {} })).body.code).toBe('invalid_token');
  });
});

describe('POST /logout', () => {
  it("stops the access token and the session's refresh tokens at once", async () => {
    const user = await registerAndLogin(api);
    expect((await api.post('/logout', { token: user.accessToken })).status).toBe(204);
    const access = await api.get('/sessions', { token: user.accessToken });
    expect([access.status, access.body.code]).toEqual([401, 'token_revoked']);
    const refresh = await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } });
    expect([refresh.status, refresh.body.code]).toEqual([401, 'token_revoked']);
  });

  it("leaves the user's other sessions alone", async () => {
    const user = await registerAndLogin(api);
    const other = await api.post('/login', { body: { email: user.email, password: STRONG_PASSWORD } });
    await api.post('/logout', { token: user.accessToken });
    expect((await api.get('/sessions', { token: other.body.accessToken as string })).status).toBe(200);
  });
});

describe('GET and DELETE /sessions', () => {
  it('lists own live sessions with device, ip and which one is current, and revokes one', async () => {
    const user = await registerAndLogin(api);
    const phone = await api.post('/login', {
      body: { email: user.email, password: STRONG_PASSWORD, remember: true },
      headers: { 'user-agent': 'PhoneApp/1.0' },
    });
    const list = await api.get<{ sessions: { id: string; device: string; ip: string; current: boolean }[] }>(
      '/sessions',
      {
        token: user.accessToken,
      },
    );
    expect(list.body.sessions).toHaveLength(2);
    const phoneSession = list.body.sessions.find((s) => s.device === 'PhoneApp/1.0');
    expect(phoneSession).toMatchObject({ current: false, ip: expect.stringMatching(/127\.0\.0\.1/) });
    expect(list.body.sessions.filter((s) => s.current)).toHaveLength(1);

    expect((await api.delete(`/sessions/${phoneSession?.id}`, { token: user.accessToken })).status).toBe(204);
    expect((await api.get('/sessions', { token: phone.body.accessToken as string })).body.code).toBe(
      'token_revoked',
    );
    expect(
      (await api.post('/token/refresh', { body: { refreshToken: phone.body.refreshToken } })).body.code,
    ).toBe('token_revoked');
  });

  it("cannot see or revoke another user's session", async () => {
    const alice = await registerAndLogin(api);
    const bob = await registerAndLogin(api);
    const bobs = await api.get<{ sessions: { id: string }[] }>('/sessions', { token: bob.accessToken });
    const bobSession = bobs.body.sessions[0]?.id;
    const res = await api.delete(`/sessions/${bobSession}`, { token: alice.accessToken });
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
    expect((await api.get('/sessions', { token: bob.accessToken })).status).toBe(200);
    expect((await api.delete('/sessions/not-a-uuid', { token: alice.accessToken })).body.code).toBe(
      'validation_failed',
    );
  });
});
