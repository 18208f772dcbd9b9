import type { Middleware } from 'koa';
import koaJwt from 'koa-jwt';
import jwt from 'jsonwebtoken';
import { can, type Permission, type Role } from '@platform/contracts';
import { parseClaims, TokenError, toTokenError, type AccessTokens, type Denylist } from '@platform/tokens';
import { AppError, Errors } from './errors.js';
import type { AuthState, BaseState } from './state.js';

/**
 * Identifies the caller from a bearer token when one is present (koa-jwt in passthrough mode, the
 * algorithm pinned, the prebuilt key, the denylist consulted). It never refuses a request itself:
 * routers that need a caller add `requireAuth()`, so public routes and the rate limiter still see
 * who is calling.
 */
export function identify(tokens: AccessTokens, denylist: Denylist): Middleware<BaseState> {
  return koaJwt({
    secret: tokens.key as unknown as string, // jsonwebtoken takes a KeyObject; koa-jwt's types predate it
    ...tokens.verifyOptions,
    passthrough: true,
    key: 'user',
    tokenKey: 'token',
    isRevoked: async (_ctx, decoded) => {
      const claims = parseClaims(decoded);
      if (await denylist.isRevoked(claims))
        throw new TokenError('token_revoked', 'The access token has been revoked.');
      return false;
    },
  }) as unknown as Middleware<BaseState>;
}

/** Refuses the request unless `identify` accepted a token; says why (expired, revoked, invalid). */
export function requireAuth(): Middleware<BaseState> {
  return async (ctx, next) => {
    if (!ctx.state.user) {
      const cause = ctx.state.jwtOriginalError;
      const hasToken = Boolean(ctx.get('authorization'));
      if (!hasToken) throw Errors.unauthorized('unauthorized', 'A bearer token is required.');
      if (cause instanceof TokenError || cause instanceof jwt.JsonWebTokenError || !cause) {
        const error = toTokenError(cause ?? new TokenError('invalid_token', 'The access token is invalid.'));
        throw new AppError(401, error.code, error.message, { headers: { 'WWW-Authenticate': 'Bearer' } });
      }
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
