import { authenticatedRouter } from '@platform/http';
import type { AuthServices } from '../app.js';
import { requestMeta } from './context.js';
import { disableTwoFactorBody, enableTwoFactorBody } from '@platform/contracts';

/** The caller's own TOTP two-factor authentication: setup, enable, disable. */
export function twoFactorRoutes(services: AuthServices) {
  const router = authenticatedRouter();

  // The answers carry secrets (the TOTP secret, recovery codes): never cached anywhere.
  router.post('/2fa/setup', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.twoFactor.setup(ctx.state.user.sub, requestMeta(ctx));
  });

  router.post('/2fa/enable', async (ctx) => {
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
