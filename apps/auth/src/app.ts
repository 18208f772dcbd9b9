import type { Context } from 'koa';
import { normalizeEmail } from '@platform/contracts';
import { apiReferenceRouter, mount, rateLimit, type HttpApp } from '@platform/http';
import { AuthService } from '@platform/proto';
import { createServiceApp, type GrpcRoutes, type ServiceResources } from '@platform/runtime';
import type { AuthConfig } from './config.js';
import { authGrpcRoutes } from './grpc/auth.grpc.js';
import { accountRoutes } from './routes/account.routes.js';
import type { AuthLimits } from './routes/deps.js';
import { identityRoutes, oauthRoutes } from './routes/oauth.routes.js';
import { sessionRoutes } from './routes/session.routes.js';
import type { TokenCookieSettings } from './routes/token-cookies.js';
import { twoFactorRoutes } from './routes/two-factor.routes.js';
import { wellKnownRoutes } from './routes/well-known.routes.js';
import { createServices, createSessionServices, type AuthServices } from './services/index.js';
import type { PasswordHasher } from './services/password-hasher.js';

export interface AuthDeps extends ServiceResources {
  config: AuthConfig;
  hasher: PasswordHasher;
}

export type { AuthServices };

/** The identifier a login or registration names, for the per-identifier limit. */
function identifier(ctx: Context): string | false {
  const email = (ctx.request.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length <= 320 ? `id:${normalizeEmail(email)}` : false;
}

/** The auth service: credentials, OAuth and two-factor sign-in, sessions and refresh-token families. Never listens itself. */
export function createApp(deps: AuthDeps): HttpApp {
  const { config } = deps;
  const app = createServiceApp(deps, config);

  const services = createServices(deps);
  const limits: AuthLimits = {
    perIp: rateLimit({
      redis: deps.redis,
      name: 'auth-ip',
      max: config.AUTH_RATE_LIMIT_PER_MINUTE,
      id: (ctx) => `ip:${ctx.ip}`,
    }),
    perIdentifier: rateLimit({
      redis: deps.redis,
      name: 'auth-identifier',
      max: config.AUTH_IDENTIFIER_RATE_LIMIT_PER_MINUTE,
      id: identifier,
    }),
  };
  const tokenCookies: TokenCookieSettings = {
    alwaysSecure: config.NODE_ENV === 'production',
    // The web app's own origins may refresh with the cookie, besides the host the request names.
    trustedHosts: new Set(
      [config.PUBLIC_WEB_URL, ...config.OAUTH_RETURN_TO_ORIGINS].map((u) => new URL(u).host),
    ),
  };
  const routes = { services, limits, stepUpMaxAgeSeconds: config.STEP_UP_MAX_AGE_SECONDS, tokenCookies };
  mount(
    app,
    accountRoutes(routes),
    oauthRoutes(routes),
    sessionRoutes(routes),
    twoFactorRoutes(routes),
    identityRoutes(routes),
    wellKnownRoutes({ tokens: deps.tokens, issuer: config.JWT_ISSUER }),
    // The whole API's description lives with auth's other public documents; the page is for development.
    apiReferenceRouter({ page: config.NODE_ENV !== 'production' }),
  );
  return app;
}

/** What auth serves over gRPC to the other services (AuthService). Never listens itself. */
export function createGrpcRoutes(deps: ServiceResources & { config: AuthConfig }): GrpcRoutes {
  const { sessions } = createSessionServices(deps);
  return {
    services: [AuthService.typeName],
    // Introspection is for services (a user has no business checking other tokens); realtime, the one
    // service with an identity today, may ask it. Everything else is for the signed-in user.
    serviceAccess: { realtime: ['VerifyToken'] },
    register: authGrpcRoutes({ sessions, tokens: deps.tokens, denylist: deps.denylist }),
  };
}
