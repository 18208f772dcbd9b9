import type { Middleware } from 'koa';
import type { AccessClaims } from '@platform/contracts';
import { AppError } from './errors.js';
import type { AuthState } from './state.js';

/**
 * Whether the caller proved who they are (signed in, or re-entered a password or code) within
 * `maxAgeSeconds`. A token without `auth_time` never counts as recent.
 */
export function isRecentAuth(claims: AccessClaims, maxAgeSeconds: number, nowMs = Date.now()): boolean {
  const authTime = claims.auth_time;
  return authTime !== undefined && nowMs / 1000 - authTime <= maxAgeSeconds;
}

/**
 * Refuses a sensitive change unless the sign-in behind the token is recent. The challenge follows
 * RFC 9470 (OAuth step-up), so a client knows to ask for the password or a code and retry with the
 * fresh token `POST /account/reauthenticate` returns.
 */
export function assertRecentAuth(claims: AccessClaims, maxAgeSeconds: number, nowMs = Date.now()): void {
  if (isRecentAuth(claims, maxAgeSeconds, nowMs)) return;
  throw new AppError(
    'reauthentication_required',
    'Confirm it is you: re-enter your password or a two-factor code, then try again.',
    {
      headers: {
        'WWW-Authenticate': `Bearer error="insufficient_user_authentication", max_age=${maxAgeSeconds}`,
      },
      extensions: { maxAge: maxAgeSeconds },
    },
  );
}

/** The route-level form of `assertRecentAuth`, for routes that are sensitive whatever their body says. */
export function requireRecentAuth(maxAgeSeconds: number): Middleware<AuthState> {
  return async (ctx, next) => {
    assertRecentAuth(ctx.state.user, maxAgeSeconds);
    await next();
  };
}
