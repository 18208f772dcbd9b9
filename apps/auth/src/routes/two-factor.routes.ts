import { disableTwoFactorBody, enableTwoFactorBody } from '@platform/contracts';
import { authenticatedRouter, requireRecentAuth } from '@platform/http';
import type { AuthServices } from '../app.js';
import { requestMeta } from './context.js';

/**
 * The caller's own TOTP two-factor authentication: setup, enable, disable. Setting up and enabling
 * need a recent sign-in (step-up); disabling carries the password and a code itself.
 */
export function twoFactorRoutes(services: AuthServices, stepUpMaxAgeSeconds: number) {
  const router = authenticatedRouter();
  const recentAuth = requireRecentAuth(stepUpMaxAgeSeconds);

  // The answers carry secrets (the TOTP secret, recovery codes): never cached anywhere.
  router.post('/2fa/setup', recentAuth, async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.twoFactor.setup(ctx.state.user.sub, requestMeta(ctx));
  });

  router.post('/2fa/enable', recentAuth, async (ctx) => {
    const body = enableTwoFactorBody.parse(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.twoFactor.enable(ctx.state.user.sub, body.code, requestMeta(ctx));
  });

  router.post('/2fa/disable', async (ctx) => {
    const { password, ...factor } = disableTwoFactorBody.parse(ctx.request.body);
    await services.twoFactor.disable(ctx.state.user.sub, password, factor, requestMeta(ctx));
    ctx.status = 204;
  });

  return router;
}
