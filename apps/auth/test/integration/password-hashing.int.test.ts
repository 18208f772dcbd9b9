import type { ApiClient, TestEnvironment, TestService } from '@platform/testkit';
import type { AuthConfig } from '../../src/config.js';
import { newEmail, registerAndLogin, startAuth, STRONG_PASSWORD } from './harness.js';
import { enableTwoFactor } from './totp-client.js';

let env: TestEnvironment;
let current: { auth: TestService<AuthConfig>; api: ApiClient };
let legacy: ApiClient;

beforeAll(async () => {
  // Two auth instances on one database: one still on bcrypt (as before this release), one on the
  // default Argon2id, as during a rolling upgrade.
  const started = await startAuth({});
  env = started.env;
  current = started;
  ({ api: legacy } = await startAuth({ PASSWORD_HASH_ALGORITHM: 'bcrypt' }, env));
});
afterAll(() => env.close());

const storedHash = async (email: string) => {
  const rows = await current.auth.resources.orm.em
    .fork()
    .getConnection()
    .execute<{ password_hash: string }[]>('select password_hash from users where email = ?', [email]);
  return rows[0]?.password_hash ?? '';
};

const register = async (api: ApiClient, email: string) => {
  const res = await api.post('/register', { body: { email, password: STRONG_PASSWORD } });
  expect(res.status).toBe(201);
};

const login = (api: ApiClient, email: string, password = STRONG_PASSWORD) =>
  api.post<{ accessToken: string }>('/login', { body: { email, password } });

describe('password hashes', () => {
  it('stores a new password as Argon2id with the configured parameters', async () => {
    const email = newEmail();
    await register(current.api, email);
    expect(await storedHash(email)).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
  });

  it('signs in a bcrypt account and moves it to Argon2id; a wrong password changes nothing', async () => {
    const email = newEmail();
    await register(legacy, email);
    const before = await storedHash(email);
    expect(before).toMatch(/^\$2b\$04\$/);

    expect((await login(current.api, email, 'not-the-password-at-all')).status).toBe(401);
    expect(await storedHash(email)).toBe(before);

    expect((await login(current.api, email)).status).toBe(200);
    const after = await storedHash(email);
    expect(after).toMatch(/^\$argon2id\$/);
    expect((await login(current.api, email)).status).toBe(200);
    expect(await storedHash(email)).toBe(after);
    // An instance not yet upgraded still signs the account in: it verifies Argon2id too.
    expect((await login(legacy, email)).status).toBe(200);
  });

  it('re-hashes when the Argon2id parameters change', async () => {
    const email = newEmail();
    await register(current.api, email);
    const { api: stronger } = await startAuth({ ARGON2_MEMORY_KIB: '2048', ARGON2_TIME_COST: '2' }, env);
    expect((await login(stronger, email)).status).toBe(200);
    expect(await storedHash(email)).toMatch(/^\$argon2id\$v=19\$m=2048,t=2,p=1\$/);
  });

  it('upgrades at the password step of a 2FA sign-in, before the second factor', async () => {
    const user = await registerAndLogin(legacy);
    const { email } = user;
    await enableTwoFactor(legacy, user);
    const challenged = await login(current.api, email);
    expect([challenged.status, challenged.body]).toEqual([
      401,
      expect.objectContaining({ code: 'totp_required' }),
    ]);
    expect(await storedHash(email)).toMatch(/^\$argon2id\$/);
  });
});
