import { randomUUID } from 'node:crypto';
import { loadConfig } from '@platform/config';
import {
  apiClient,
  createTestEnvironment,
  type ApiClient,
  type TestEnvironment,
  type TestService,
} from '@platform/testkit';
import { startAuth as startAuthApp } from '../../src/auth.js';
import { authConfigSchema, type AuthConfig } from '../../src/config.js';

export const STRONG_PASSWORD = 'violet-anchor-meadow-42!';

/** Starts the auth service in a fresh environment (or a given one) and returns a client for it. */
export async function startAuth(
  overrides: Record<string, string> = {},
  existing?: TestEnvironment,
): Promise<{ env: TestEnvironment; auth: TestService<AuthConfig>; api: ApiClient }> {
  const env = existing ?? (await createTestEnvironment());
  const auth = await env.start(
    'auth',
    (e) => loadConfig(authConfigSchema, e),
    (c, r) => startAuthApp(c, r),
    overrides,
  );
  return { env, auth, api: apiClient(auth.url) };
}

/** A unique, valid address per call. */
export function newEmail(tag = 'user'): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.com`;
}

export interface LoggedIn {
  email: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers an account and logs it in. */
export async function registerAndLogin(api: ApiClient, email = newEmail()): Promise<LoggedIn> {
  const registered = await api.post('/register', { body: { email, password: STRONG_PASSWORD } });
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await api.post<{ accessToken: string; refreshToken: string; user: { id: string } }>(
    '/login',
    {
      body: { email, password: STRONG_PASSWORD },
    },
  );
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return {
    email,
    userId: login.body.user.id,
    accessToken: login.body.accessToken,
    refreshToken: login.body.refreshToken,
  };
}

/**
 * The settings of the lockout tests: five wrong guesses lock an address, twenty an IP, and one
 * trusted proxy hop, so each attempt can come from an address of its own through X-Forwarded-For.
 */
export function lockoutSettings(durationSeconds: number): Record<string, string> {
  return {
    TRUST_PROXY_HOPS: '1',
    LOCKOUT_THRESHOLD: '5',
    LOCKOUT_IP_THRESHOLD: '20',
    LOCKOUT_DURATION_SECONDS: String(durationSeconds),
  };
}

/** Fresh client addresses, one per call, in a documentation range such as `198.51.100`. */
export function addresses(range: string): () => string {
  let last = 0;
  return () => `${range}.${++last}`;
}
