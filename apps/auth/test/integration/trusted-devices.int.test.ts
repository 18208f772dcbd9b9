import amqp from 'amqplib';
import { namespaced, QUEUES } from '@platform/contracts';
import { backingServices, eventually, type ApiClient, type TestEnvironment } from '@platform/testkit';
import {
  addresses,
  lockoutSettings,
  newEmail,
  registerAndLogin,
  startAuth,
  STRONG_PASSWORD,
} from './harness.js';
import { enableTwoFactor, freshCode } from './totp-client.js';

let env: TestEnvironment;
let api: ApiClient;

beforeAll(async () => {
  ({ env, api } = await startAuth(lockoutSettings(60)));
});
afterAll(() => env.close());

/** A fresh client address per call (a documentation range). */
const newIp = addresses('203.0.113');

const WRONG = 'wrong-guess-wrong-guess';

interface SignedIn {
  accessToken: string;
  deviceToken: string;
  user: { id: string };
}

const login = (email: string, password: string, ip: string, extra: Record<string, unknown> = {}) =>
  api.post<SignedIn & { code?: string; challenge?: string }>('/login', {
    body: { email, password, ...extra },
    headers: { 'x-forwarded-for': ip },
  });

/** An account and the device token of its first sign-in, from an address of its own. */
async function ownerWithDevice(): Promise<{ email: string; deviceToken: string; accessToken: string }> {
  const { email } = await registerAndLogin(api);
  const res = await login(email, STRONG_PASSWORD, newIp());
  expect(res.status).toBe(200);
  expect(res.body.deviceToken).toMatch(/^[\w-]{43}$/);
  return { email, deviceToken: res.body.deviceToken, accessToken: res.body.accessToken };
}

/** A stranger guesses from one address until the identifier is locked. */
async function lockOut(email: string): Promise<void> {
  const ip = newIp();
  for (let i = 0; i < 5; i++) expect((await login(email, WRONG, ip)).status).toBe(401);
  expect((await login(email, WRONG, ip)).status).toBe(423);
}

describe('trusted devices and the sign-in lockout', () => {
  it('lets the owner sign in from a device that signed in before while a stranger keeps the identifier locked', async () => {
    const owner = await ownerWithDevice();
    await lockOut(owner.email);
    // Without the device token the owner is locked out like anyone...
    expect((await login(owner.email, STRONG_PASSWORD, newIp())).status).toBe(423);
    // ...with it, from any address, the sign-in goes through, and the token rotates.
    const signedIn = await login(owner.email, STRONG_PASSWORD, newIp(), { deviceToken: owner.deviceToken });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.deviceToken).not.toBe(owner.deviceToken);
    // The owner's success did not give the stranger a fresh budget: the identifier is still locked.
    expect((await login(owner.email, WRONG, newIp())).status).toBe(423);
    // The rotated token is the one that works now.
    const again = await login(owner.email, STRONG_PASSWORD, newIp(), {
      deviceToken: signedIn.body.deviceToken,
    });
    expect(again.status).toBe(200);
    const stale = await login(owner.email, STRONG_PASSWORD, newIp(), { deviceToken: owner.deviceToken });
    expect(stale.status).toBe(423);
  });

  it('takes the device token from its HttpOnly, SameSite=Strict cookie on the login path', async () => {
    const { email } = await registerAndLogin(api);
    const first = await login(email, STRONG_PASSWORD, newIp());
    const cookie = first.headers['set-cookie'] ?? '';
    expect(cookie).toContain(`device_token=${first.body.deviceToken}`);
    expect(cookie).toMatch(/path=\/login/i);
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=strict/i);
    expect(cookie).not.toMatch(/secure/i);
    await lockOut(email);
    const viaCookie = await api.post<SignedIn>('/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { 'x-forwarded-for': newIp(), cookie: `device_token=${first.body.deviceToken}` },
    });
    expect(viaCookie.status).toBe(200);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const { email } = await registerAndLogin(api);
    const res = await api.post('/login', {
      body: { email, password: STRONG_PASSWORD },
      headers: { 'x-forwarded-for': newIp(), 'x-forwarded-proto': 'https' },
    });
    expect(res.headers['set-cookie']).toMatch(/; secure/i);
  });

  it("does not let a stranger's own device token, or a made-up one, past the victim's lock", async () => {
    const victim = await ownerWithDevice();
    const stranger = await ownerWithDevice();
    await lockOut(victim.email);
    for (const deviceToken of [stranger.deviceToken, 'A'.repeat(43), 'not-even-a-token']) {
      const res = await login(victim.email, STRONG_PASSWORD, newIp(), { deviceToken });
      expect(res.status).toBe(423);
      expect(res.body).toMatchObject({ code: 'account_locked' });
    }
    // A foreign token is no token: wrong guesses with it count toward the identifier as usual.
    const other = newEmail('other');
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await login(other, WRONG, ip, { deviceToken: stranger.deviceToken })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 423]);
  });

  it('gives a trusted device a budget of its own, which locks itself and never the identifier', async () => {
    const owner = await ownerWithDevice();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await login(owner.email, WRONG, newIp(), { deviceToken: owner.deviceToken })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 423]);
    // Locked means locked for the device: the right password through it waits too.
    const locked = await login(owner.email, STRONG_PASSWORD, newIp(), { deviceToken: owner.deviceToken });
    expect(locked.status).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Its failures did not count toward the identifier: another client still signs in.
    expect((await login(owner.email, STRONG_PASSWORD, newIp())).status).toBe(200);
  });

  it('lets exactly the threshold of 50 parallel wrong guesses through a trusted device reach the hash', async () => {
    const owner = await ownerWithDevice();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        login(owner.email, WRONG, newIp(), { deviceToken: owner.deviceToken }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(45);
  });

  it('carries the device through the second factor, and trusts only a device that completed it', async () => {
    const user = await enableTwoFactor(api, await registerAndLogin(api));
    const step = await login(user.email, STRONG_PASSWORD, newIp());
    expect(step.body).toMatchObject({ code: 'totp_required' });
    expect(step.body.deviceToken).toBeUndefined();
    expect(step.headers['set-cookie']).toBeUndefined();
    const done = await api.post<SignedIn>('/login/2fa', {
      body: { challenge: step.body.challenge, code: await freshCode(user) },
      headers: { 'x-forwarded-for': newIp() },
    });
    expect(done.status).toBe(200);
    expect(done.headers['set-cookie']).toContain(`device_token=${done.body.deviceToken}`);

    await lockOut(user.email);
    const again = await login(user.email, STRONG_PASSWORD, newIp(), { deviceToken: done.body.deviceToken });
    expect(again.body).toMatchObject({ code: 'totp_required' });
    // The second step counts against the device too, so the stranger's lock does not stop it.
    const second = await api.post<SignedIn>('/login/2fa', {
      body: { challenge: again.body.challenge, code: await freshCode(user) },
      headers: { 'x-forwarded-for': newIp() },
    });
    expect(second.status).toBe(200);
  });

  it('lists the caller’s devices and forgets one on request, after which it is a stranger again', async () => {
    const owner = await ownerWithDevice();
    const list = await api.get<{ devices: { id: string; lastUsedAt: string }[] }>('/account/devices', {
      token: owner.accessToken,
    });
    expect(list.status).toBe(200);
    // registerAndLogin signed in once, ownerWithDevice once more: two devices.
    expect(list.body.devices).toHaveLength(2);
    const newest = list.body.devices[0];
    expect(newest).toBeDefined();
    const other = await ownerWithDevice();
    // Someone else's device looks like a missing one.
    expect(
      (await api.delete(`/account/devices/${newest?.id ?? ''}`, { token: other.accessToken })).status,
    ).toBe(404);
    expect(
      (await api.delete(`/account/devices/${newest?.id ?? ''}`, { token: owner.accessToken })).status,
    ).toBe(204);
    await lockOut(owner.email);
    expect(
      (await login(owner.email, STRONG_PASSWORD, newIp(), { deviceToken: owner.deviceToken })).status,
    ).toBe(423);
  });

  it('forgets every device when the password changes', async () => {
    const owner = await ownerWithDevice();
    const changed = await api.post('/password/change', {
      token: owner.accessToken,
      body: { currentPassword: STRONG_PASSWORD, newPassword: 'copper-harbor-violin-93?' },
    });
    expect(changed.status).toBe(204);
    await lockOut(owner.email);
    const res = await login(owner.email, 'copper-harbor-violin-93?', newIp(), {
      deviceToken: owner.deviceToken,
    });
    expect(res.status).toBe(423);
  });

  it('audits trusting, using, locking and forgetting a device', async () => {
    const owner = await ownerWithDevice();
    const through = await login(owner.email, STRONG_PASSWORD, newIp(), { deviceToken: owner.deviceToken });
    const { deviceToken } = through.body;
    for (let i = 0; i < 5; i++) await login(owner.email, WRONG, newIp(), { deviceToken });
    const devices = await api.get<{ devices: { id: string }[] }>('/account/devices', {
      token: owner.accessToken,
    });
    const oldest = devices.body.devices.at(-1)?.id ?? '';
    expect((await api.delete(`/account/devices/${oldest}`, { token: owner.accessToken })).status).toBe(204);
    await api.post('/password/change', {
      token: owner.accessToken,
      body: { currentPassword: STRONG_PASSWORD, newPassword: 'copper-harbor-violin-93?' },
    });

    const connection = await amqp.connect(backingServices().amqpUrl);
    try {
      const channel = await connection.createChannel();
      const logs = namespaced(env.namespace, QUEUES.logs);
      const records: { action?: string; targetId?: string | null; after?: Record<string, unknown> }[] = [];
      const userId = through.body.user.id;
      await eventually('the audit records arrived', async () => {
        for (
          let m = await channel.get(logs, { noAck: true });
          m;
          m = await channel.get(logs, { noAck: true })
        ) {
          const envelope = JSON.parse(m.content.toString()) as { type: string; payload: (typeof records)[0] };
          if (envelope.type === 'log.audit' && envelope.payload.targetId === userId)
            records.push(envelope.payload);
        }
        const actions = records.map((r) => r.action);
        return ['device.trusted', 'login.device_locked', 'device.revoke', 'device.revoke_all'].every((a) =>
          actions.includes(a),
        );
      });
      const viaDevice = records.filter((r) => r.action === 'login.succeeded' && r.after?.trustedDevice);
      expect(viaDevice).toHaveLength(1);
      expect(records.filter((r) => r.action === 'login.failed').every((r) => r.after?.deviceId)).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('refuses an unlock link that is unknown', async () => {
    const res = await api.post('/account/unlock', { body: { token: 'A'.repeat(43) } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_link' });
  });
});
