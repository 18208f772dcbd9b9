import { randomUUID } from 'node:crypto';
import type { ApiClient, TestEnvironment, TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { oauthStateKey } from '../../src/services/oauth/oauth-states.js';
import { newEmail, registerAndLogin, startAuth } from './harness.js';
import { EDGE, oauthBrowser } from './oauth-browser.js';
import { startMockProvider, type MockProvider } from './oauth-provider.js';
import { enableTwoFactor, freshCode } from './totp-client.js';

let provider: MockProvider;
let env: TestEnvironment;
let auth: TestService<AuthConfig>;
let api: ApiClient;
let browser: ReturnType<typeof oauthBrowser>;

beforeAll(async () => {
  provider = await startMockProvider();
  ({ env, auth, api } = await startAuth({
    OAUTH_REDIRECT_BASE_URL: EDGE,
    OAUTH_OIDC_PROVIDERS: JSON.stringify([
      {
        name: 'acme',
        displayName: 'Acme SSO',
        issuer: provider.url,
        clientId: 'platform-test',
        clientSecret: 's3cret',
      },
    ]),
    OAUTH_GITHUB_CLIENT_ID: 'gh-client',
    OAUTH_GITHUB_CLIENT_SECRET: 'gh-secret',
    OAUTH_GITHUB_AUTHORIZE_URL: `${provider.url}/authorize`,
    OAUTH_GITHUB_TOKEN_URL: `${provider.url}/token`,
    OAUTH_GITHUB_USERINFO_URL: `${provider.url}/user`,
    OAUTH_GITHUB_EMAILS_URL: `${provider.url}/user/emails`,
  }));
  browser = oauthBrowser(auth.url);
});
afterAll(async () => {
  await env.close();
  provider.stop();
});

const db = () => auth.resources.orm.em.fork().getConnection();
const person = (fields: { email?: string; email_verified?: boolean; name?: string } = {}) => ({
  sub: randomUUID(),
  email: newEmail('oauth'),
  email_verified: true,
  name: 'Ada Lovelace',
  ...fields,
});
const identitiesOf = (userId: string) =>
  db().execute<{ provider: string; subject: string }[]>(
    'select provider, subject from oauth_identities where user_id = ?',
    [userId],
  );

describe('GET /oauth/providers', () => {
  it('lists the enabled providers for sign-in buttons, and none where none is configured', async () => {
    const res = await api.get('/oauth/providers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      providers: [
        { id: 'github', name: 'GitHub' },
        { id: 'acme', name: 'Acme SSO' },
      ],
    });
    const plain = await startAuth({}, env);
    expect((await plain.api.get('/oauth/providers')).body).toEqual({ providers: [] });
  });
});

describe('GET /oauth/:provider/start', () => {
  it('redirects to the provider with state, PKCE S256 and a nonce, bound to the browser by a cookie', async () => {
    const started = await browser.start('acme');
    expect(started.status).toBe(302);
    const params = started.authorizeUrl.searchParams;
    expect(`${started.authorizeUrl.origin}${started.authorizeUrl.pathname}`).toBe(
      `${provider.url}/authorize`,
    );
    expect(Object.fromEntries(params)).toMatchObject({
      response_type: 'code',
      client_id: 'platform-test',
      redirect_uri: `${EDGE}/oauth/acme/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(params.get('state')).toMatch(/^[\w-]{43}$/);
    expect(params.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(params.get('nonce')).toMatch(/^[\w-]{43}$/);
    expect(started.setCookie).toMatch(
      /^oauth_state=[\w-]{43}; Path=\/oauth; Max-Age=600; HttpOnly; SameSite=Lax$/,
    );

    const github = await browser.start('github');
    expect(github.authorizeUrl.searchParams.get('scope')).toBe('read:user user:email');
    expect(github.authorizeUrl.searchParams.has('nonce')).toBe(false);
  });

  it('answers 404 unknown_provider for providers that are not configured', async () => {
    for (const name of ['google', 'nope']) {
      const res = await api.get(`/oauth/${name}/start`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'unknown_provider' });
    }
  });

  it('refuses a returnTo on another site', async () => {
    const res = await api.get(`/oauth/acme/start?returnTo=${encodeURIComponent('https://evil.example/x')}`);
    expect(res.body).toMatchObject({ code: 'invalid_return_to' });
  });
});

describe('GET /oauth/:provider/callback', () => {
  it('creates a verified account on first sign-in and finds it again on the next', async () => {
    const someone = person();
    await provider.signInAs(someone);
    const first = await browser.signIn('acme');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      tokenType: 'Bearer',
      user: { email: someone.email, displayName: 'Ada Lovelace' },
    });
    const { accessToken, user } = first.body as { accessToken: string; user: { id: string } };
    expect((await api.get('/sessions', { token: accessToken })).status).toBe(200);
    const [row] = await db().execute<{ password_hash: string | null; email_verified_at: Date | null }[]>(
      'select password_hash, email_verified_at from users where id = ?',
      [user.id],
    );
    expect(row?.password_hash).toBeNull();
    expect(row?.email_verified_at).not.toBeNull();

    const again = await browser.signIn('acme');
    expect(again.body).toMatchObject({ user: { id: user.id } });
    expect(await identitiesOf(user.id)).toEqual([{ provider: 'acme', subject: someone.sub }]);
    const listed = await api.get<{ identities: object[] }>('/oauth/identities', { token: accessToken });
    expect(listed.body.identities).toEqual([
      expect.objectContaining({ provider: 'acme', email: someone.email, lastLoginAt: expect.any(String) }),
    ]);
  });

  it('makes an unverified account when the provider has not verified the email', async () => {
    const someone = person({ email_verified: false });
    await provider.signInAs(someone);
    const first = await browser.signIn('acme');
    expect(first.status).toBe(200);
    const { user } = first.body as { user: { id: string; emailVerified?: boolean } };
    const [row] = await db().execute<{ email_verified_at: Date | null }[]>(
      'select email_verified_at from users where id = ?',
      [user.id],
    );
    // The address still has to be proven by the link in the welcome mail, as after a registration.
    expect(row?.email_verified_at).toBeNull();
  });

  it('sends a browser to the success page with the tokens in the fragment only', async () => {
    await provider.signInAs(person());
    const res = await browser.signIn('acme', { json: false, query: '?returnTo=%2Fsettings' });
    expect(res.status).toBe(302);
    const location = new URL(res.location ?? '');
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:8080/sign-in/oauth');
    expect(location.searchParams.get('returnTo')).toBe('http://localhost:8080/settings');
    expect(location.search).not.toMatch(/Token/);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('accessToken')).toBeTruthy();
    expect(fragment.get('refreshToken')).toBeTruthy();
    expect(Number(fragment.get('expiresIn'))).toBeGreaterThan(0);
  });

  it('in cookie mode sets the refresh cookie and goes to returnTo with no token in the URL', async () => {
    await provider.signInAs(person());
    const started = await browser.start('acme', '?returnTo=%2Fchat&tokenTransport=cookie');
    const res = await fetch(await browser.authorize(started), {
      redirect: 'manual',
      headers: { accept: 'text/html', cookie: started.cookie },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('http://localhost:8080/chat');
    const cookies = res.headers.getSetCookie();
    const refresh = cookies.find((c) => c.startsWith('refresh_token='));
    expect(refresh).toMatch(/^refresh_token=[\w-]{43}; Path=\/token; HttpOnly; SameSite=Strict$/);
    expect(cookies.find((c) => c.startsWith('csrf_token='))).toMatch(/; Path=\/; SameSite=Strict$/);
    // The web app then refreshes with the cookie it cannot read.
    const csrf = (cookies.find((c) => c.startsWith('csrf_token=')) ?? '').split(';')[0] ?? '';
    const refreshed = await fetch(`${auth.url}/token/refresh`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `${(refresh ?? '').split(';')[0]}; ${csrf}`,
        'x-csrf-token': csrf.split('=')[1] ?? '',
      },
      body: '{}',
    });
    expect(refreshed.status).toBe(200);
  });

  it('refuses a wrong, foreign or replayed state with 400 invalid_state', async () => {
    await provider.signInAs(person());
    const started = await browser.start('acme');
    const back = await browser.authorize(started);
    const wrong = new URL(back);
    wrong.searchParams.set('state', 'x'.repeat(43));
    expect((await browser.callback(wrong, started.cookie)).body).toMatchObject({ code: 'invalid_state' });
    // Another browser (its own cookie, or none) cannot finish this sign-in.
    const other = await browser.start('acme');
    expect((await browser.callback(back, other.cookie)).status).toBe(400);
    expect((await browser.callback(back, '')).body).toMatchObject({ code: 'invalid_state' });
    // The right browser can, once.
    expect((await browser.callback(back, started.cookie)).status).toBe(200);
    const replay = await browser.callback(back, started.cookie);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ code: 'invalid_state' });
    // A state for one provider does not finish another's sign-in.
    const github = await browser.start('github');
    const crossed = new URL(
      `${auth.url}/oauth/acme/callback?code=x&state=${github.authorizeUrl.searchParams.get('state')}`,
    );
    expect((await browser.callback(crossed, github.cookie)).body).toMatchObject({ code: 'invalid_state' });
  });

  it('passes the provider error on as 400 oauth_error, and sends a browser back to the web app with it', async () => {
    const denied = async (json: boolean) => {
      const started = await browser.start('acme');
      const state = started.authorizeUrl.searchParams.get('state') ?? '';
      const url = `${auth.url}/oauth/acme/callback?error=access_denied&state=${state}`;
      return browser.callback(url, started.cookie, json);
    };
    const res = await denied(true);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'oauth_error', providerError: 'access_denied', provider: 'acme' });
    // A person who cancelled at the provider lands on the web app's page, not on a problem document.
    const navigation = await denied(false);
    expect(navigation.status).toBe(302);
    expect(navigation.location).toBe(
      'http://localhost:8080/sign-in/oauth#error=oauth_error&providerError=access_denied',
    );
    const replayed = await browser.callback(`${auth.url}/oauth/acme/callback?state=x`, '', false);
    expect(replayed.location).toBe('http://localhost:8080/sign-in/oauth#error=invalid_state');
  });

  it('answers 502 when the provider rejects the PKCE verifier or fails', async () => {
    await provider.signInAs(person());
    const started = await browser.start('acme');
    const key = oauthStateKey(started.authorizeUrl.searchParams.get('state') ?? '');
    const stored = JSON.parse((await auth.resources.redis.get(key)) ?? '{}') as { verifier: string };
    await auth.resources.redis.set(key, JSON.stringify({ ...stored, verifier: 'z'.repeat(43) }), 'EX', 60);
    const pkce = await browser.callback(await browser.authorize(started), started.cookie);
    expect(pkce.status).toBe(502);
    expect(pkce.body).toMatchObject({ code: 'oauth_provider_error' });

    await provider.failNextToken();
    const failed = await browser.signIn('acme');
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 'oauth_provider_error', providerError: 'server_error' });
  });

  it('refuses an id_token for another audience or with another nonce', async () => {
    await provider.signInAs(person());
    for (const claims of [{ aud: 'someone-else' }, { nonce: 'not-ours' }, { iss: 'https://other.example' }]) {
      await provider.nextIdTokenClaims(claims);
      const res = await browser.signIn('acme');
      expect(res.status).toBe(502);
      expect(res.body).toMatchObject({ code: 'oauth_provider_error' });
    }
  });

  it('links an existing account only when both sides verified the address', async () => {
    const owner = await registerAndLogin(api);
    await provider.signInAs(person({ email: owner.email, email_verified: false }));
    const unverified = await browser.signIn('acme');
    expect(unverified.status).toBe(409);
    expect(unverified.body).toMatchObject({ code: 'account_exists' });
    // Verified by the provider, but the account never proved the address: still no link.
    await provider.signInAs(person({ email: owner.email }));
    expect((await browser.signIn('acme')).body).toMatchObject({ code: 'account_exists' });
    expect(await identitiesOf(owner.userId)).toHaveLength(0);

    await db().execute('update users set email_verified_at = now() where id = ?', [owner.userId]);
    const linked = await browser.signIn('acme');
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ user: { id: owner.userId } });
    expect(await identitiesOf(owner.userId)).toHaveLength(1);
  });

  it('asks an account with 2FA for its second factor, as /login does', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    await db().execute('update users set email_verified_at = now() where id = ?', [user.userId]);
    await provider.signInAs(person({ email: user.email }));
    const res = await browser.signIn('acme');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'totp_required', expiresIn: 300 });
    expect(res.body).not.toHaveProperty('accessToken');
    const { challenge } = res.body as { challenge: string };
    const second = await api.post('/login/2fa', { body: { challenge, code: await freshCode(user) } });
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ user: { id: user.userId } });

    const redirected = await browser.signIn('acme', { json: false });
    expect(redirected.status).toBe(302);
    expect(new URL(redirected.location ?? '').hash).toMatch(/^#totpChallenge=[\w-]{43}&expiresIn=300$/);
  });

  it('refuses a deactivated account with 401 like /login', async () => {
    const someone = person();
    await provider.signInAs(someone);
    const first = await browser.signIn('acme');
    const { user } = first.body as { user: { id: string } };
    await db().execute(`update users set status = 'suspended' where id = ?`, [user.id]);
    const res = await browser.signIn('acme');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'invalid_credentials' });
  });

  it('signs in with GitHub from its primary verified email', async () => {
    const someone = person({ name: 'Grace Hopper' });
    await provider.signInAs({ ...someone, sub: String(Math.floor(Math.random() * 1e9)) });
    const res = await browser.signIn('github');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user: { email: someone.email, displayName: 'Grace Hopper', emailVerified: true },
    });
  });
});

describe('linking and unlinking', () => {
  it('links a provider to the signed-in account, and not to a second one', async () => {
    const user = await registerAndLogin(api);
    const someone = person();
    await provider.signInAs(someone);
    const anonymous = await api.get('/oauth/acme/start?link=1');
    expect(anonymous.status).toBe(401);
    const linked = await browser.signIn('acme', { query: '?link=1', token: user.accessToken });
    expect(linked.status).toBe(200);
    expect(linked.body).toEqual({ linked: 'acme' });
    expect(await identitiesOf(user.userId)).toEqual([{ provider: 'acme', subject: someone.sub }]);
    // Signing in with it now reaches the linked account.
    expect((await browser.signIn('acme')).body).toMatchObject({ user: { id: user.userId } });

    const other = await registerAndLogin(api);
    const taken = await browser.signIn('acme', { query: '?link=1', token: other.accessToken });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'identity_taken' });
  });

  it('refuses to unlink the last way to sign in, and unlinks otherwise', async () => {
    await provider.signInAs(person());
    const created = await browser.signIn('acme');
    const { accessToken, user } = created.body as { accessToken: string; user: { id: string } };
    const last = await api.delete('/oauth/identities/acme', { token: accessToken });
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ code: 'last_sign_in_method' });

    await provider.signInAs({ sub: String(Math.floor(Math.random() * 1e9)), email: newEmail('gh') });
    expect((await browser.signIn('github', { query: '?link=1', token: accessToken })).status).toBe(200);
    expect((await api.delete('/oauth/identities/acme', { token: accessToken })).status).toBe(204);
    expect(await identitiesOf(user.id)).toEqual([expect.objectContaining({ provider: 'github' })]);
    expect((await api.delete('/oauth/identities/acme', { token: accessToken })).status).toBe(404);
    expect((await api.delete('/oauth/identities/github', { token: accessToken })).body).toMatchObject({
      code: 'last_sign_in_method',
    });
    expect((await api.get('/oauth/identities')).status).toBe(401);
  });
});
