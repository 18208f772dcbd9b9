import type { TestEnvironment, TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { csrfTokenFor } from '../../src/routes/token-cookies.js';
import { newEmail, startAuth, STRONG_PASSWORD } from './harness.js';

// Browser cookie mode over real HTTP: what a browser would store, send back and lose.

let env: TestEnvironment;
let auth: TestService<AuthConfig>;

beforeAll(async () => {
  // No grace window, so a replayed refresh cookie is reuse at once; one trusted hop, as behind the edge.
  ({ env, auth } = await startAuth({ REFRESH_REUSE_GRACE_SECONDS: '0', TRUST_PROXY_HOPS: '1' }));
});
afterAll(() => env.close());

interface Cookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
  cookies: Map<string, Cookie>;
}

function parseSetCookie(line: string): Cookie {
  const [pair = '', ...rest] = line.split(';').map((part) => part.trim());
  const at = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const attribute of rest) {
    const [key = '', value] = attribute.split('=');
    attributes[key.toLowerCase()] = value ?? true;
  }
  return { name: pair.slice(0, at), value: pair.slice(at + 1), attributes };
}

/** A request as a browser page makes it; `cookies` is what the browser would send. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; cookies?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const cookies = Object.entries(options.cookies ?? {});
  if (cookies.length) headers.cookie = cookies.map(([name, value]) => `${name}=${value}`).join('; ');
  const res = await fetch(`${auth.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  const set = res.headers.getSetCookie().map(parseSetCookie);
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    cookies: new Map(set.map((cookie) => [cookie.name, cookie])),
  };
}

const COOKIE_MODE = { 'x-token-transport': 'cookie' };

async function signUp(): Promise<string> {
  const email = newEmail('browser');
  const res = await call('POST', '/register', { body: { email, password: STRONG_PASSWORD } });
  expect(res.status).toBe(201);
  return email;
}

/** Signs in in cookie mode and returns the browser's cookie jar for the refresh route. */
async function browserSignIn(remember = false) {
  const email = await signUp();
  const res = await call('POST', '/login', {
    body: { email, password: STRONG_PASSWORD, remember },
    headers: COOKIE_MODE,
  });
  expect(res.status).toBe(200);
  const refresh = res.cookies.get('refresh_token');
  const csrf = res.cookies.get('csrf_token');
  if (!refresh || !csrf) throw new Error('cookie mode set no cookies');
  return { res, jar: { refresh_token: refresh.value, csrf_token: csrf.value } };
}

const refreshWith = (jar: Record<string, string>, headers: Record<string, string> = {}) =>
  call('POST', '/token/refresh', {
    body: {},
    cookies: jar,
    headers: { 'x-csrf-token': jar.csrf_token ?? '', ...headers },
  });

function expectCleared(res: Answer) {
  expect(res.cookies.get('refresh_token')).toMatchObject({
    value: '',
    attributes: { path: '/token', 'max-age': '0' },
  });
  expect(res.cookies.get('csrf_token')).toMatchObject({
    value: '',
    attributes: { path: '/', 'max-age': '0' },
  });
}

describe('POST /login with X-Token-Transport: cookie', () => {
  it('sets the refresh token as an httpOnly, SameSite=Strict session cookie on /token and leaves it out of the body', async () => {
    const { res } = await browserSignIn();
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    expect(typeof res.body.accessToken).toBe('string');
    expect(res.body).not.toHaveProperty('refreshToken');
    const refresh = res.cookies.get('refresh_token');
    expect(refresh?.value).toMatch(/^[\w-]{43}$/);
    expect(refresh?.attributes).toEqual({ path: '/token', httponly: true, samesite: 'Strict' });
    // Scripts read this one: SameSite=Strict, every path, no HttpOnly; a session cookie like its pair.
    expect(res.cookies.get('csrf_token')?.attributes).toEqual({ path: '/', samesite: 'Strict' });
  });

  it('makes both cookies persistent until the session ends when "remember me" was asked', async () => {
    const { res } = await browserSignIn(true);
    const remember = auth.config.REFRESH_TOKEN_REMEMBER_TTL_SECONDS;
    for (const name of ['refresh_token', 'csrf_token']) {
      const maxAge = Number(res.cookies.get(name)?.attributes['max-age']);
      expect(maxAge).toBeGreaterThan(remember - 5);
      expect(maxAge).toBeLessThanOrEqual(remember);
    }
  });

  it('marks the cookies Secure when the browser talks https to the edge', async () => {
    const email = await signUp();
    const res = await call('POST', '/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { ...COOKIE_MODE, 'x-forwarded-proto': 'https' },
    });
    expect(res.cookies.get('refresh_token')?.attributes.secure).toBe(true);
    expect(res.cookies.get('csrf_token')?.attributes.secure).toBe(true);
  });
});

describe('POST /token/refresh with the refresh cookie', () => {
  it('rotates the cookie and answers a working access token, with no refresh token in the body', async () => {
    const { jar } = await browserSignIn();
    const res = await refreshWith(jar);
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('refreshToken');
    const rotated = res.cookies.get('refresh_token')?.value;
    expect(rotated).toMatch(/^[\w-]{43}$/);
    expect(rotated).not.toBe(jar.refresh_token);
    expect(res.cookies.get('csrf_token')?.value).not.toBe(jar.csrf_token);
    const sessions = await call('GET', '/sessions', {
      headers: { authorization: `Bearer ${String(res.body.accessToken)}` },
    });
    expect(sessions.status).toBe(200);
  });

  it('refuses a missing or wrong X-CSRF-Token and a cross-site Origin with 403 csrf_failed, keeping the cookies', async () => {
    const { jar } = await browserSignIn();
    const refused = [
      await call('POST', '/token/refresh', { body: {}, cookies: jar }),
      await refreshWith(jar, { 'x-csrf-token': 'not-the-cookie' }),
      await refreshWith({ ...jar, csrf_token: 'forged' }, { 'x-csrf-token': 'forged' }),
      await refreshWith(jar, { origin: 'https://evil.example' }),
      await refreshWith(jar, { 'sec-fetch-site': 'cross-site' }),
    ];
    for (const res of refused) {
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 403, code: 'csrf_failed' });
      expect(res.cookies.size).toBe(0);
    }
    // The session is untouched: the genuine page still refreshes.
    expect((await refreshWith(jar, { origin: auth.url })).status).toBe(200);
  });

  it('detects a replayed cookie as reuse, revokes the session and clears the cookies', async () => {
    const { jar } = await browserSignIn();
    const first = await refreshWith(jar);
    expect(first.status).toBe(200);
    const replay = await refreshWith(jar);
    expect({ status: replay.status, code: replay.body.code }).toEqual({ status: 401, code: 'token_reused' });
    expectCleared(replay);
    const next = {
      refresh_token: first.cookies.get('refresh_token')?.value ?? '',
      csrf_token: first.cookies.get('csrf_token')?.value ?? '',
    };
    const afterReuse = await refreshWith(next);
    expect(afterReuse.body.code).toBe('token_revoked');
    expectCleared(afterReuse);
  });

  it('answers 401 invalid_token and clears the cookies for an unknown or missing cookie', async () => {
    const forged = 'x'.repeat(43);
    const unknown = await refreshWith({ refresh_token: forged, csrf_token: csrfTokenFor(forged) });
    expect({ status: unknown.status, code: unknown.body.code }).toEqual({
      status: 401,
      code: 'invalid_token',
    });
    expectCleared(unknown);
    const missing = await call('POST', '/token/refresh', { body: {}, headers: { 'x-csrf-token': 'y' } });
    expect({ status: missing.status, code: missing.body.code }).toEqual({
      status: 401,
      code: 'invalid_token',
    });
    expectCleared(missing);
  });
});

describe('POST /logout in cookie mode', () => {
  it('clears both cookies and the refresh cookie stops working', async () => {
    const { res, jar } = await browserSignIn();
    const out = await call('POST', '/logout', {
      headers: { authorization: `Bearer ${String(res.body.accessToken)}` },
    });
    expect(out.status).toBe(204);
    expectCleared(out);
    expect((await refreshWith(jar)).body.code).toBe('token_revoked');
  });
});

describe('body mode (no X-Token-Transport)', () => {
  it('answers the refresh token in the body and sets no refresh cookie, as before', async () => {
    const email = await signUp();
    const login = await call('POST', '/login', { body: { email, password: STRONG_PASSWORD } });
    expect(login.body.refreshToken).toMatch(/^[\w-]{43}$/);
    expect([...login.cookies.keys()]).toEqual(['device_token']);
    const refreshed = await call('POST', '/token/refresh', {
      body: { refreshToken: login.body.refreshToken },
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(refreshed.cookies.size).toBe(0);
  });
});
