import { AUTH_ACCOUNT_ROUTES, byOperationId } from '@platform/contracts';
import { authenticatedRouter, handle, requireRecentAuth, type AuthState, type Router } from '@platform/http';
import { requestMeta } from './context.js';
import type { AuthRoutesDeps } from './deps.js';

const api = byOperationId(AUTH_ACCOUNT_ROUTES);

/**
 * The caller's own TOTP two-factor authentication: setup, enable, disable. Setting up and enabling
 * need a recent sign-in (step-up); disabling carries the password and a code itself.
 */
export function twoFactorRoutes({ services, stepUpMaxAgeSeconds }: AuthRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();
  const recentAuth = requireRecentAuth(stepUpMaxAgeSeconds);

  // The answers carry secrets (the TOTP secret, recovery codes): never cached anywhere.
  handle(router, api.setupTwoFactor, recentAuth, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.twoFactor.setup(ctx.state.user.sub, requestMeta(ctx));
  });

  handle(router, api.enableTwoFactor, recentAuth, async (ctx, { body }) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.twoFactor.enable(ctx.state.user.sub, body.code, requestMeta(ctx));
  });

  handle(router, api.disableTwoFactor, async (ctx, { body }) => {
    const { password, ...factor } = body;
    await services.twoFactor.disable(ctx.state.user.sub, password, factor, requestMeta(ctx));
    ctx.status = 204;
  });

  return router;
}
