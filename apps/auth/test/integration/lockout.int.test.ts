import type { ApiClient, TestEnvironment } from '@platform/testkit';
import {
  addresses,
  lockoutSettings,
  newEmail,
  registerAndLogin,
  startAuth,
  STRONG_PASSWORD,
} from './harness.js';

let env: TestEnvironment;
let api: ApiClient;

beforeAll(async () => {
  ({ env, api } = await startAuth(lockoutSettings(2)));
});
afterAll(() => env.close());

/** A fresh client address per call (a documentation range). */
const newIp = addresses('198.51.100');

const login = (email: string, password: string, ip: string) =>
  api.post('/login', { body: { email, password }, headers: { 'x-forwarded-for': ip } });

describe('sign-in lockout', () => {
  it('lets exactly the threshold of 50 parallel wrong guesses reach the hash, and locks the rest out', async () => {
    const { email } = await registerAndLogin(api);
    const ip = newIp();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => login(email, 'wrong-guess-wrong-guess', ip)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 423)).toHaveLength(45);
    const locked = results.find((r) => r.status === 423);
    expect(locked?.body).toMatchObject({ code: 'account_locked' });
    expect(Number(locked?.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    // Locked means locked: the right password is refused too, from anywhere, until the lock ends.
    expect((await login(email, STRONG_PASSWORD, newIp())).status).toBe(423);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await login(email, STRONG_PASSWORD, newIp())).status).toBe(200);
  });

  it('locks an address nobody has exactly like a real one (no enumeration)', async () => {
    const ghost = newEmail('ghost');
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(ghost, 'wrong-guess-wrong-guess', ip)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 423]);
  });

  it('doubles the lock each time it comes back within a day', async () => {
    const { email } = await registerAndLogin(api);
    const lockOnce = async () => {
      const ip = newIp();
      for (let i = 0; i < 5; i++) await login(email, 'wrong-guess-wrong-guess', ip);
      return login(email, 'wrong-guess-wrong-guess', ip);
    };
    const first = await lockOnce();
    expect(Number(first.headers['retry-after'])).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const second = await lockOnce();
    expect(second.status).toBe(423);
    expect(Number(second.headers['retry-after'])).toBe(4);
  });

  it('starts the budget over after a successful sign-in', async () => {
    const { email } = await registerAndLogin(api);
    const ip = newIp();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++)
        expect((await login(email, 'wrong-guess-wrong-guess', ip)).status).toBe(401);
      expect((await login(email, STRONG_PASSWORD, ip)).status).toBe(200);
    }
  });

  it('locks a client address that guesses across many identifiers', async () => {
    const ip = newIp();
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++)
      statuses.push((await login(newEmail('spray'), 'wrong-guess-wrong-guess', ip)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(423);
    // The lock is on the address, so a real user elsewhere is not affected.
    const { email } = await registerAndLogin(api);
    expect((await login(email, STRONG_PASSWORD, newIp())).status).toBe(200);
  });
});
