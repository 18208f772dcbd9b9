import { AUTH_PUBLIC_ROUTES, AUTH_SECURITY_ROUTES, byOperationId } from '@platform/contracts';
import { toPublicUser } from '@platform/db';
import { AppError, handle, publicRouter, type BaseState, type Router } from '@platform/http';
import { totpRequired } from '../services/login.service.js';
import { requestMeta } from './context.js';
import type { AuthRoutesDeps } from './deps.js';
import { presentedDeviceToken, setDeviceCookie } from './device-cookie.js';
import {
  answerTokens,
  clearTokenCookies,
  refreshTokenFromCookie,
  wantsCookieTransport,
} from './token-cookies.js';

const api = byOperationId([...AUTH_PUBLIC_ROUTES, ...AUTH_SECURITY_ROUTES]);

/**
 * Public routes: register, login (and its second step), refresh, email verification, undoing an email
 * change, forgotten passwords, and the mailed unlock link. Every complete sign-in also answers a
 * device token, in the body and as a cookie.
 */
export function accountRoutes({ services, limits, tokenCookies }: AuthRoutesDeps): Router<BaseState> {
  const router = publicRouter();
  const deviceTtl = services.devices.settings.ttlSeconds;

  handle(router, api.register, limits.perIp, limits.perIdentifier, async (ctx, { body }) => {
    const user = await services.accounts.register(body, ctx.state.user, requestMeta(ctx));
    ctx.status = 201;
    ctx.body = { user: toPublicUser(user, services.mediaUrls) };
  });

  handle(router, api.login, limits.perIp, limits.perIdentifier, async (ctx, { body }) => {
    ctx.set('Cache-Control', 'no-store');
    const deviceToken = presentedDeviceToken(ctx, body.deviceToken);
    const outcome = await services.login.login({ ...body, deviceToken }, requestMeta(ctx));
    if (outcome.kind === 'second-factor') throw totpRequired(outcome);
    setDeviceCookie(ctx, outcome.tokens.deviceToken, deviceTtl);
    answerTokens(ctx, outcome.tokens, wantsCookieTransport(ctx), tokenCookies);
  });

  // No per-identifier limit here (the body names none); the lockout of the challenge's identifier applies.
  handle(router, api.loginSecondFactor, limits.perIp, async (ctx, { body }) => {
    ctx.set('Cache-Control', 'no-store');
    const result = await services.login.loginWithSecondFactor(body, requestMeta(ctx));
    setDeviceCookie(ctx, result.deviceToken, deviceTtl);
    answerTokens(ctx, result, wantsCookieTransport(ctx), tokenCookies);
  });

  // The mailed unlock link: this browser becomes a trusted device, which signs in despite the lock.
  handle(router, api.unlockAccount, limits.perIp, async (ctx, { body }) => {
    ctx.set('Cache-Control', 'no-store');
    const result = await services.devices.unlock(body.token, requestMeta(ctx));
    setDeviceCookie(ctx, result.deviceToken, deviceTtl);
    ctx.body = result;
  });

  // Without a token in the body, the refresh cookie (cookie mode): a token that came from the cookie
  // goes back into it, and one the service refuses (spent, reused, revoked) takes the cookies with it.
  handle(router, api.refreshToken, async (ctx, { body }) => {
    ctx.set('Cache-Control', 'no-store');
    const fromCookie = body.refreshToken === undefined;
    const presented = body.refreshToken ?? refreshTokenFromCookie(ctx, tokenCookies);
    try {
      const pair = await services.sessions.refresh(presented, requestMeta(ctx));
      answerTokens(ctx, pair, fromCookie || wantsCookieTransport(ctx), tokenCookies);
    } catch (error) {
      if (fromCookie && error instanceof AppError && error.status === 401)
        clearTokenCookies(ctx, tokenCookies);
      throw error;
    }
  });

  handle(router, api.verifyEmail, limits.perIp, async (ctx, { body }) => {
    await services.accounts.verifyEmail(body.token, requestMeta(ctx));
    ctx.status = 204;
  });

  // The link mailed to the old address after an email change: undo it and sign every session out.
  handle(router, api.revertEmailChange, limits.perIp, async (ctx, { body }) => {
    await services.accounts.revertEmailChange(body.token, requestMeta(ctx));
    ctx.status = 204;
  });

  // 202 whether or not an account has the address, answered before any lookup: same body, same time.
  handle(router, api.forgotPassword, limits.perIp, limits.perIdentifier, (ctx, { body }) => {
    services.passwords.requestReset(body.email, requestMeta(ctx));
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  handle(router, api.resetPassword, limits.perIp, async (ctx, { body }) => {
    await services.passwords.reset(body.token, body.password, requestMeta(ctx));
    ctx.status = 204;
  });

  handle(router, api.resendVerification, limits.perIp, limits.perIdentifier, (ctx, { body }) => {
    services.passwords.resendVerification(body.email, requestMeta(ctx));
    ctx.status = 202;
    ctx.body = { status: 'accepted' };
  });

  return router;
}
