import { STRONG_PASSWORD, mailWorld, type MailWorld } from './harness.js';

const NEW_PASSWORD = 'copper-harbor-violin-93?';

/** The token in the first link of a mail's text that opens `path`. */
function linkToken(text: string, path: string): string {
  const match = new RegExp(`https://app\\.example\\.test/${path}\\?token=([\\w-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${path} link in:\n${text}`);
  return match[1];
}

describe('account mails, end to end through SMTP', () => {
  let world: MailWorld;
  let stopAuth: () => Promise<void>;
  let stopWorker: () => Promise<void>;
  let api: Awaited<ReturnType<MailWorld['startAuth']>>['api'];

  beforeAll(async () => {
    world = await mailWorld();
    ({ stop: stopWorker } = await world.startWorker());
    ({ api, stop: stopAuth } = await world.startAuth({
      PASSWORD_RESET_TTL_SECONDS: '3',
      LOCKOUT_THRESHOLD: '3',
    }));
  });
  afterAll(async () => {
    await stopAuth();
    await stopWorker();
    await world.close();
  });

  async function registerAndLogin(tag: string) {
    const email = `${tag}-${Date.now()}@example.com`;
    await api.post('/register', { body: { email, password: STRONG_PASSWORD, displayName: 'Grace' } });
    const login = await api.post<{ refreshToken: string; accessToken: string; deviceToken: string }>(
      '/login',
      {
        body: { email, password: STRONG_PASSWORD },
      },
    );
    return { email, ...login.body };
  }

  it('resets a forgotten password with the mailed link, once, ending every session', async () => {
    const user = await registerAndLogin('reset');
    expect((await api.post('/password/forgot', { body: { email: user.email } })).status).toBe(202);
    const mail = await world.sink.waitFor((m) => m.to.includes(user.email) && /reset/i.test(m.subject));
    const token = linkToken(mail.text, 'reset-password');

    // A weak password is refused without using the link up.
    const weak = await api.post('/password/reset', { body: { token, password: 'password1234' } });
    expect(weak.body).toMatchObject({ code: 'weak_password' });
    expect((await api.post('/password/reset', { body: { token, password: NEW_PASSWORD } })).status).toBe(204);

    expect((await api.post('/token/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(
      401,
    );
    const reused = await api.post('/password/reset', {
      body: { token, password: 'another-strong-pass-77!' },
    });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'invalid_link' });
    // The reused link changed nothing: the password set through it still works.
    expect((await api.post('/login', { body: { email: user.email, password: NEW_PASSWORD } })).status).toBe(
      200,
    );
    const notice = await world.sink.waitFor(
      (m) => m.to.includes(user.email) && /password/i.test(m.subject) && !/reset/i.test(m.subject),
    );
    expect(notice.text).toMatch(/changed/i);
  });

  it('refuses an expired reset link and leaves the password as it was', async () => {
    const user = await registerAndLogin('expired');
    await api.post('/password/forgot', { body: { email: user.email } });
    const mail = await world.sink.waitFor((m) => m.to.includes(user.email) && /reset/i.test(m.subject));
    await new Promise((resolve) => setTimeout(resolve, 3_100));
    const res = await api.post('/password/reset', {
      body: { token: linkToken(mail.text, 'reset-password'), password: NEW_PASSWORD },
    });
    expect(res.status).toBe(400);
    expect(
      (await api.post('/login', { body: { email: user.email, password: STRONG_PASSWORD } })).status,
    ).toBe(200);
  });

  it("does not accept one account's link for another's action", async () => {
    const user = await registerAndLogin('cross');
    await api.post('/password/forgot', { body: { email: user.email } });
    const mail = await world.sink.waitFor((m) => m.to.includes(user.email) && /reset/i.test(m.subject));
    // A reset token is not a verification token, and the welcome's verification token is not a reset token.
    const resetToken = linkToken(mail.text, 'reset-password');
    expect((await api.post('/email/verify', { body: { token: resetToken } })).status).toBe(400);
    const welcome = await world.sink.waitFor((m) => m.to.includes(user.email) && /welcome/i.test(m.subject));
    const verifyToken = linkToken(welcome.text, 'verify-email');
    expect(
      (await api.post('/password/reset', { body: { token: verifyToken, password: NEW_PASSWORD } })).status,
    ).toBe(400);
  });

  it('mails the owner when their account gets locked', async () => {
    const user = await registerAndLogin('locked');
    for (let i = 0; i < 4; i++)
      await api.post('/login', { body: { email: user.email, password: 'wrong-guess-wrong' } });
    const mail = await world.sink.waitFor((m) => m.to.includes(user.email) && /lock/i.test(m.subject));
    expect(mail.text).toContain('https://app.example.test/forgot-password');
  });

  it("mails a single-use unlock link that lets the owner's browser sign in through a stranger's lock", async () => {
    const user = await registerAndLogin('unlock');
    const guess = () => api.post('/login', { body: { email: user.email, password: 'wrong-guess-wrong' } });
    for (let i = 0; i < 3; i++) expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(423);
    const mail = await world.sink.waitFor((m) => m.to.includes(user.email) && /lock/i.test(m.subject));
    const token = linkToken(mail.text, 'unlock-account');

    const unlocked = await api.post<{ deviceToken: string }>('/account/unlock', { body: { token } });
    expect(unlocked.status).toBe(200);
    expect(unlocked.headers['set-cookie']).toContain(`device_token=${unlocked.body.deviceToken}`);
    // The link works once.
    const reused = await api.post('/account/unlock', { body: { token } });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ code: 'invalid_link' });

    // The identifier stays locked for everyone else; the unlocked browser signs in.
    const signIn = (deviceToken?: string) =>
      api.post('/login', { body: { email: user.email, password: STRONG_PASSWORD, deviceToken } });
    expect((await signIn()).status).toBe(423);
    expect((await signIn(unlocked.body.deviceToken)).status).toBe(200);
  });

  it('forgets every trusted device when the password is reset with the mailed link', async () => {
    const user = await registerAndLogin('reset-devices');
    await api.post('/password/forgot', { body: { email: user.email } });
    const mail = await world.sink.waitFor((m) => m.to.includes(user.email) && /reset/i.test(m.subject));
    const token = linkToken(mail.text, 'reset-password');
    expect((await api.post('/password/reset', { body: { token, password: NEW_PASSWORD } })).status).toBe(204);
    const guess = () => api.post('/login', { body: { email: user.email, password: 'wrong-guess-wrong' } });
    for (let i = 0; i < 4; i++) await guess();
    const res = await api.post('/login', {
      body: { email: user.email, password: NEW_PASSWORD, deviceToken: user.deviceToken },
    });
    expect(res.status).toBe(423);
  });

  it('re-sends a verification link to an unverified address only', async () => {
    const user = await registerAndLogin('resend');
    expect((await api.post('/email/verify/resend', { body: { email: user.email } })).status).toBe(202);
    const mail = await world.sink.waitFor(
      (m) => m.to.includes(user.email) && /verify|confirm/i.test(m.subject),
    );
    expect(
      (await api.post('/email/verify', { body: { token: linkToken(mail.text, 'verify-email') } })).status,
    ).toBe(204);
    const before = world.sink.count((m) => m.to.includes(user.email));
    await api.post('/email/verify/resend', { body: { email: user.email } });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(world.sink.count((m) => m.to.includes(user.email))).toBe(before);
  });
});
