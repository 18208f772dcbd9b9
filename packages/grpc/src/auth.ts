import { createContextKey, type HandlerContext, type Interceptor } from '@connectrpc/connect';
import { AppError, can, Errors, type AccessClaims, type Permission } from '@platform/contracts';
import {
  isServiceTokenHeader,
  peekHeader,
  TokenError,
  toTokenError,
  type AccessTokens,
  type Denylist,
  type ServiceTokenVerifier,
} from '@platform/tokens';

const BEARER = /^Bearer ([A-Za-z0-9._-]+)$/i;

/** A call made by another service with its own identity (a service token), not for a user. */
export interface ServiceCaller {
  service: string;
}

/** The verified caller of a call, for handlers (`callerOf`, `viewerOf`). */
const callerKey = createContextKey<AccessClaims | ServiceCaller | undefined>(undefined, {
  description: 'caller',
});

/** Which services may call which methods (by method name) of this server with their own identity. */
export type ServiceAccess = Readonly<Record<string, readonly string[]>>;

export interface GrpcAuthOptions {
  tokens: AccessTokens;
  denylist: Denylist;
  /** Services every peer may call without a token (grpc.health.v1.Health for the probes). */
  publicServices: readonly string[];
  /** Service tokens: their verifier and what each service may call; none accepted when absent. */
  services?: { verifier: ServiceTokenVerifier; access: ServiceAccess } | undefined;
}

const unauthenticated = (error: unknown): AppError => {
  const refused = toTokenError(error);
  return new AppError(refused.code, refused.message);
};

/**
 * Verifies the caller from the `authorization` metadata. A user's access token exactly as REST does
 * (`identify` and `requireAuth` in packages/http): the pinned algorithm and key by kid, claims, then
 * the denylist; a token error is UNAUTHENTICATED with its catalogue code, a denylist outage
 * UNAVAILABLE. A service token (typ `service+jwt`) with the service's own key, for this service as
 * audience, and then only for the methods `services.access` grants that service (else PERMISSION_DENIED).
 */
export function authInterceptor({
  tokens,
  denylist,
  publicServices,
  services,
}: GrpcAuthOptions): Interceptor {
  return (next) => async (req) => {
    if (publicServices.includes(req.service.typeName)) return next(req);
    const header = req.header.get('authorization');
    if (header === null) throw Errors.unauthorized('unauthorized', 'A bearer token is required.');
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) throw unauthenticated(undefined);
    if (isServiceTokenHeader(peekHeader(token))) {
      if (services === undefined) throw unauthenticated(undefined);
      let service: string;
      try {
        service = services.verifier.verify(token);
      } catch (error) {
        throw unauthenticated(error);
      }
      if (!(services.access[service] ?? []).includes(req.method.name)) throw Errors.forbidden();
      req.contextValues.set(callerKey, { service });
      return next(req);
    }
    let claims: AccessClaims;
    try {
      claims = tokens.verify(token);
      if (await denylist.isRevoked(claims))
        throw new TokenError('token_revoked', 'The access token has been revoked.');
    } catch (error) {
      if (!(error instanceof TokenError))
        throw Errors.unavailable('Sign-in checks are unavailable; try again shortly.');
      throw unauthenticated(error);
    }
    req.contextValues.set(callerKey, claims);
    return next(req);
  };
}

function isService(caller: AccessClaims | ServiceCaller): caller is ServiceCaller {
  return 'service' in caller;
}

/** The verified end user of this call; only services behind `authInterceptor` have one. */
export function callerOf(ctx: HandlerContext): AccessClaims {
  const caller = ctx.values.get(callerKey);
  if (caller === undefined || isService(caller)) throw Errors.unauthorized();
  return caller;
}

/** The caller, when their role holds `permission` (the RBAC matrix REST uses); else `forbidden`. */
export function requirePermission(ctx: HandlerContext, permission: Permission): AccessClaims {
  const caller = callerOf(ctx);
  if (!can(caller.role, permission)) throw Errors.forbidden();
  return caller;
}

/**
 * Who reads: a user holding `permission`, or a service the interceptor already let through for this
 * method (`ServiceAccess`). For reads that both users and services make (GetUsers).
 */
export function viewerOf(ctx: HandlerContext, permission: Permission): AccessClaims | ServiceCaller {
  const caller = ctx.values.get(callerKey);
  if (caller !== undefined && isService(caller)) return caller;
  return requirePermission(ctx, permission);
}

/** The calling service, for methods only services may call; a user is `forbidden`. */
export function requireService(ctx: HandlerContext): ServiceCaller {
  const caller = ctx.values.get(callerKey);
  if (caller === undefined) throw Errors.unauthorized();
  if (!isService(caller)) throw Errors.forbidden();
  return caller;
}
