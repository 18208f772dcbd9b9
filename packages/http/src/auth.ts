import type { Middleware } from 'koa';
import { can, type Permission, type Role } from '@platform/contracts';
import { TokenError, toTokenError, type AccessTokens, type Denylist } from '@platform/tokens';
import { AppError, Errors } from './errors.js';
import type { AuthState, BaseState } from './state.js';

const BEARER = /^Bearer ([A-Za-z0-9._-]+)$/i;

/**
 * Identifies the caller from a bearer token when one is present: signature (algorithm pinned, key
 * by kid), claims, then the denylist. It never refuses a request itself: routers that need a caller
 * add `requireAuth()`, so public routes and the rate limiter still see who is calling.
 */
export function identify(tokens: AccessTokens, denylist: Denylist): Middleware<BaseState> {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    if (header !== '') {
      const token = BEARER.exec(header)?.[1];
      try {
        if (token === undefined) throw new TokenError('invalid_token', 'The access token is invalid.');
        const claims = tokens.verify(token);
        if (await denylist.isRevoked(claims))
          throw new TokenError('token_revoked', 'The access token has been revoked.');
        ctx.state.user = claims;
        (ctx.state as AuthState).token = token;
      } catch (error) {
        ctx.state.tokenError = error;
      }
    }
    await next();
  };
}

/** Refuses the request unless `identify` accepted a token; says why (expired, revoked, invalid). */
export function requireAuth(): Middleware<BaseState> {
  return async (ctx, next) => {
    if (!ctx.state.user) {
      const cause = ctx.state.tokenError;
      if (cause === undefined) throw Errors.unauthorized('unauthorized', 'A bearer token is required.');
      if (cause instanceof TokenError) {
        const error = toTokenError(cause);
        throw new AppError(error.code, error.message, { headers: { 'WWW-Authenticate': 'Bearer' } });
      }
      // Not the token's fault: the denylist (Redis) could not be asked.
      ctx.state.log.error({ err: cause }, 'token check failed');
      throw Errors.unavailable('Sign-in checks are unavailable; try again shortly.');
    }
    await next();
  };
}

/** Lets the request through only when the caller's role holds `permission`. */
export function requirePermission(permission: Permission): Middleware<AuthState> {
  return async (ctx, next) => {
    if (!can(ctx.state.user.role, permission)) throw Errors.forbidden();
    await next();
  };
}

/** Lets the request through only for the listed roles. Prefer `requirePermission`. */
export function requireRole(...roles: Role[]): Middleware<AuthState> {
  return async (ctx, next) => {
    if (!roles.includes(ctx.state.user.role)) throw Errors.forbidden();
    await next();
  };
}
