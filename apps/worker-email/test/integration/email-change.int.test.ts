import { STRONG_PASSWORD, mailWorld, type MailWorld } from './harness.js';

type Api = Awaited<ReturnType<MailWorld['startAuth']>>['api'];

/** The token in the first link of a mail's text that opens `path`. */
function linkToken(text: string, path: string): string {
  const match = new RegExp(`https://app\\.example\\.test/${path}\\?token=([\\w-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}

/** The claims of an access token, unverified (the services verify; the test only reads). */
function claimsOf(accessToken: string): { sid: string; auth_time?: number } {
  const payload = accessToken.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sid: string; auth_time?: number };
}
const authTimeOf = (accessToken: string) => claimsOf(accessToken).auth_time;

describe('changing the email address, end to end (users -> SMTP -> auth)', () => {
  let world: MailWorld;
  let auth: Api;
  let users: Api;
  const stops: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    world = await mailWorld();
    const started = await Promise.all([world.startWorker(), world.startAuth(), world.startUsers()]);
    stops.push(...started.map((s) => s.stop));
    auth = started[1].api;
    users = started[2].api;
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await world.close();
  });

  async function signUp(tag: string) {
    const email = `${tag}-${Date.now()}@example.com`;
    await auth.post('/register', { body: { email, password: STRONG_PASSWORD, displayName: 'Grace' } });
    const login = await auth.post<{ refreshToken: string; accessToken: string }>('/login', {
      body: { email, password: STRONG_PASSWORD },
    });
    return { email, ...login.body };
  }

  /** Makes the session's sign-in an hour old, as if the user signed in long ago; returns a refreshed token. */
  async function ageSignIn(signedIn: { accessToken: string; refreshToken: string }) {
    const { refreshToken } = signedIn;
    await world.orm.em
      .getConnection()
      .execute(`update sessions set authenticated_at = now() - interval '1 hour' where id = ?`, [
        claimsOf(signedIn.accessToken).sid,
      ]);
    const refreshed = await auth.post<{ accessToken: string; refreshToken: string }>('/token/refresh', {
      body: { refreshToken },
    });
    expect(refreshed.status).toBe(200);
    return refreshed.body;
  }

  it('tells the old address, whose link restores it and signs every session out', async () => {
    const owner = await signUp('owner');
    const next = `taken-over-${Date.now()}@example.net`;
    const changed = await users.patch('/profile', { token: owner.accessToken, body: { email: next } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ email: next, emailVerified: false });

    const notice = await world.sink.waitFor((m) => m.to.includes(owner.email) && /changed/i.test(m.subject));
    expect(notice.text).toContain(next);
    const verify = await world.sink.waitFor((m) => m.to.includes(next));
    const verifyToken = linkToken(verify.text, 'verify-email');

    const revertToken = linkToken(notice.text, 'revert-email');
    expect((await auth.post('/email/revert', { body: { token: revertToken } })).status).toBe(204);

    // Every session is over, wherever its tokens are used.
    const profile = await users.get('/profile', { token: owner.accessToken });
    expect(profile.status).toBe(401);
    expect(profile.body).toMatchObject({ code: 'token_revoked' });
    const refresh = await auth.post('/token/refresh', { body: { refreshToken: owner.refreshToken } });
    expect(refresh.status).toBe(401);

    // The old address is back and verified; the link sent to the new one is dead; the undo link worked once.
    const again = await auth.post<{ accessToken: string }>('/login', {
      body: { email: owner.email, password: STRONG_PASSWORD },
    });
    expect(again.status).toBe(200);
    const me = await users.get('/profile', { token: again.body.accessToken });
    expect(me.body).toMatchObject({ email: owner.email, emailVerified: true });
    expect((await auth.post('/email/verify', { body: { token: verifyToken } })).status).toBe(400);
    const reused = await auth.post('/email/revert', { body: { token: revertToken } });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'invalid_link' });
  });

  it('needs a recent sign-in: an old one answers 401 reauthentication_required until the user steps up', async () => {
    const owner = await signUp('stepup');
    const stale = await ageSignIn(owner);
    const next = `stepped-${Date.now()}@example.net`;

    const refused = await users.patch('/profile', { token: stale.accessToken, body: { email: next } });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'reauthentication_required', maxAge: 300 });
    expect(refused.headers['www-authenticate']).toContain('insufficient_user_authentication');
    // Other fields need no step-up.
    const renamed = await users.patch('/profile', {
      token: stale.accessToken,
      body: { displayName: 'Grace H.' },
    });
    expect(renamed.status).toBe(200);

    const wrong = await auth.post('/account/reauthenticate', {
      token: stale.accessToken,
      body: { password: 'not-the-password-at-all' },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_credentials' });

    const stepped = await auth.post<{ accessToken: string; authTime: number }>('/account/reauthenticate', {
      token: stale.accessToken,
      body: { password: STRONG_PASSWORD },
    });
    expect(stepped.status).toBe(200);
    expect(Math.abs(stepped.body.authTime - Date.now() / 1000)).toBeLessThan(5);
    expect(authTimeOf(stepped.body.accessToken)).toBe(stepped.body.authTime);
    const changed = await users.patch('/profile', { token: stepped.body.accessToken, body: { email: next } });
    expect(changed.status).toBe(200);

    // The session remembers the step-up: a later refresh carries the same auth_time.
    const refreshed = await auth.post<{ accessToken: string }>('/token/refresh', {
      body: { refreshToken: stale.refreshToken },
    });
    expect(authTimeOf(refreshed.body.accessToken)).toBe(stepped.body.authTime);
  });
});
