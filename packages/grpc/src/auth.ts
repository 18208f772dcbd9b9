import { createContextKey, type HandlerContext, type Interceptor } from '@connectrpc/connect';
import { AppError, can, Errors, type AccessClaims, type Permission } from '@platform/contracts';
import { TokenError, toTokenError, type AccessTokens, type Denylist } from '@platform/tokens';

const BEARER = /^Bearer ([A-Za-z0-9._-]+)$/i;

/** The verified caller of a call, for handlers (`callerOf`). */
const callerKey = createContextKey<AccessClaims | undefined>(undefined, { description: 'caller' });

export interface GrpcAuthOptions {
  tokens: AccessTokens;
  denylist: Denylist;
  /** Services every peer may call without a token (grpc.health.v1.Health for the probes). */
  publicServices: readonly string[];
}

/**
 * Verifies the caller's access token from the `authorization` metadata exactly as REST does
 * (`identify` and `requireAuth` in packages/http): the pinned algorithm and key by kid, claims, then
 * the denylist; a token error is UNAUTHENTICATED with its catalogue code, a denylist outage UNAVAILABLE.
 */
export function authInterceptor({ tokens, denylist, publicServices }: GrpcAuthOptions): Interceptor {
  return (next) => async (req) => {
    if (publicServices.includes(req.service.typeName)) return next(req);
    const header = req.header.get('authorization');
    if (header === null) throw Errors.unauthorized('unauthorized', 'A bearer token is required.');
    let claims: AccessClaims;
    try {
      const token = BEARER.exec(header)?.[1];
      if (token === undefined) throw new TokenError('invalid_token', 'The access token is invalid.');
      claims = tokens.verify(token);
      if (await denylist.isRevoked(claims))
        throw new TokenError('token_revoked', 'The access token has been revoked.');
    } catch (error) {
      if (!(error instanceof TokenError))
        throw Errors.unavailable('Sign-in checks are unavailable; try again shortly.');
      const refused = toTokenError(error);
      throw new AppError(refused.code, refused.message);
    }
    req.contextValues.set(callerKey, claims);
    return next(req);
  };
}

/** The verified caller of this call; only services behind `authInterceptor` have one. */
export function callerOf(ctx: HandlerContext): AccessClaims {
  const caller = ctx.values.get(callerKey);
  if (caller === undefined) throw Errors.unauthorized();
  return caller;
}

/** The caller, when their role holds `permission` (the RBAC matrix REST uses); else `forbidden`. */
export function requirePermission(ctx: HandlerContext, permission: Permission): AccessClaims {
  const caller = callerOf(ctx);
  if (!can(caller.role, permission)) throw Errors.forbidden();
  return caller;
}
