import speakeasy from 'speakeasy';
import type { ApiClient } from '@platform/testkit';
import { STRONG_PASSWORD, type LoggedIn } from './harness.js';

const STEP = 30;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A signed-in user whose authenticator app the test plays, remembering which steps it used. */
export interface TotpUser extends LoggedIn {
  secret: string;
  recoveryCodes: string[];
  usedSteps: Set<number>;
}

/**
 * A code the server will take and has not seen from this user: each step is accepted once, so this
 * picks an unused one of the steps the server accepts now (current, next, and previous while it is
 * not about to leave the window), waiting for a new step when all are used.
 */
export async function freshCode(user: Pick<TotpUser, 'secret' | 'usedSteps'>): Promise<string> {
  for (;;) {
    const now = Date.now() / 1000;
    const step = Math.floor(now / STEP);
    const candidates = now % STEP < 20 ? [step, step + 1, step - 1] : [step, step + 1];
    const free = candidates.find((s) => !user.usedSteps.has(s));
    if (free !== undefined) {
      user.usedSteps.add(free);
      return speakeasy.totp({ secret: user.secret, encoding: 'base32', time: free * STEP + STEP / 2 });
    }
    await sleep((step + 1) * STEP * 1000 - Date.now() + 50);
  }
}

/** A code that is wrong now: the one of a step an hour ago (equal to a live one once in ~300,000). */
export function staleCode(secret: string): string {
  return speakeasy.totp({ secret, encoding: 'base32', time: Date.now() / 1000 - 3600 });
}

/** Sets up and enables 2FA for a signed-in user. */
export async function enableTwoFactor(api: ApiClient, user: LoggedIn): Promise<TotpUser> {
  const setup = await api.post<{ secret: string }>('/2fa/setup', { token: user.accessToken });
  if (setup.status !== 200) throw new Error(`setup failed: ${JSON.stringify(setup.body)}`);
  const partial = { secret: setup.body.secret, usedSteps: new Set<number>() };
  const enabled = await api.post<{ recoveryCodes: string[] }>('/2fa/enable', {
    token: user.accessToken,
    body: { code: await freshCode(partial) },
  });
  if (enabled.status !== 200) throw new Error(`enable failed: ${JSON.stringify(enabled.body)}`);
  return { ...user, ...partial, recoveryCodes: enabled.body.recoveryCodes };
}

/** The password step of a user with 2FA; returns the challenge of its 401 totp_required. */
export async function passwordStep(
  api: ApiClient,
  email: string,
  password = STRONG_PASSWORD,
): Promise<string> {
  const res = await api.post<{ code: string; challenge: string }>('/login', { body: { email, password } });
  if (res.status !== 401 || res.body.code !== 'totp_required')
    throw new Error(`expected totp_required, got ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.challenge;
}
