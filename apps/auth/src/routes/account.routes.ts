import type { Middleware } from 'koa';
import {
  emailBody,
  loginBody,
  loginTwoFactorBody,
  refreshBody,
  registerBody,
  resetBody,
  tokenBody,
} from '@platform/contracts';
import { toPublicUser } from '@platform/db';
import { publicRouter, type BaseState } from '@platform/http';
import type { AuthServices } from '../app.js';
import { requestMeta } from './context.js';
import { presentedDeviceToken, setDeviceCookie } from './device-cookie.js';

export interface AccountLimits {
  /** Per client IP, on every route here. */
  perIp: Middleware<BaseState>;
  /** Per identifier (the normalised email), on routes that name one. */
  perIdentifier: Middleware<BaseState>;
}

/**
 * Public routes: register, login (and its second step), refresh, email verification, undoing an email
 * change, forgotten passwords, and the mailed unlock link. Every complete sign-in also answers a
 * device token, in the body and as a cookie.
 */
export function accountRoutes(services: AuthServices, limits: AccountLimits) {
  const router = publicRouter();
  const deviceTtl = services.devices.settings.ttlSeconds;

  router.post('/register', limits.perIp, limits.perIdentifier, async (ctx) => {
    const body = registerBody.parse(ctx.request.body);
    const user = await services.accounts.register(body, ctx.state.user, requestMeta(ctx));
    ctx.status = 201;
    ctx.body = { user: toPublicUser(user) };
  });

  router.post('/login', limits.perIp, limits.perIdentifier, async (ctx) => {
    const body = loginBody.parse(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    const deviceToken = presentedDeviceToken(ctx, body.deviceToken);
    const result = await services.login.login({ ...body, deviceToken }, requestMeta(ctx));
    setDeviceCookie(ctx, result.deviceToken, deviceTtl);
    ctx.body = result;
  });

  // No per-identifier limit here (the body names none); the lockout of the challenge's identifier applies.
  router.post('/login/2fa', limits.perIp, async (ctx) => {
    const body = loginTwoFactorBody.parse(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    const result = await services.login.loginWithSecondFactor(body, requestMeta(ctx));
    setDeviceCookie(ctx, result.deviceToken, deviceTtl);
    ctx.body = result;
  });

  // The mailed unlock link: this browser becomes a trusted device, which signs in despite the lock.
  router.post('/account/unlock', limits.perIp, async (ctx) => {
    const body = tokenBody.parse(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    const result = await services.devices.unlock(body.token, requestMeta(ctx));
    setDeviceCookie(ctx, result.deviceToken, deviceTtl);
    ctx.body = result;
  });

  router.post('/token/refresh', async (ctx) => {
    const body = refreshBody.parse(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.sessions.refresh(body.refreshToken, requestMeta(ctx));
  });

  router.post('/email/verify', limits.perIp, async (ctx) => {
    const body = tokenBody.parse(ctx.request.body);
    await services.accounts.verifyEmail(body.token, requestMeta(ctx));
    ctx.status = 204;
  });

  // The link mailed to the old address after an email change: undo it and sign every session out.
  router.post('/email/revert', limits.perIp, async (ctx) => {
    const body = tokenBody.parse(ctx.request.body);
    await services.accounts.revertEmailChange(body.token, requestMeta(ctx));
    ctx.status = 204;
  });

  // 202 whether or not an account has the address, answered before any lookup: same body, same time.
  router.post('/password/forgot', limits.perIp, limits.perIdentifier, (ctx) => {
    const body = emailBody.parse(ctx.request.body);
    services.passwords.requestReset(body.email, requestMeta(ctx));
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  router.post('/password/reset', limits.perIp, async (ctx) => {
    const body = resetBody.parse(ctx.request.body);
    await services.passwords.reset(body.token, body.password, requestMeta(ctx));
    ctx.status = 204;
  });

  router.post('/email/verify/resend', limits.perIp, limits.perIdentifier, (ctx) => {
    const body = emailBody.parse(ctx.request.body);
    services.passwords.resendVerification(body.email, requestMeta(ctx));
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  return router;
}
