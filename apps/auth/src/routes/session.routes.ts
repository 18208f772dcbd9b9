import { AUTH_ACCOUNT_ROUTES, AUTH_SECURITY_ROUTES, byOperationId } from '@platform/contracts';
import { authenticatedRouter, handle, type AuthState, type Router } from '@platform/http';
import { requestMeta } from './context.js';
import type { AuthRoutesDeps } from './deps.js';
import { clearTokenCookies } from './token-cookies.js';

const api = byOperationId([...AUTH_ACCOUNT_ROUTES, ...AUTH_SECURITY_ROUTES]);

/**
 * Routes for a signed-in caller: logout, their own sessions and trusted devices, step-up, password
 * change, deactivation. The password change and deactivation carry the password in the body, which
 * is a step-up of its own.
 */
export function sessionRoutes({ services, tokenCookies }: AuthRoutesDeps): Router<AuthState> {
  const router = authenticatedRouter();

  handle(router, api.logout, async (ctx) => {
    await services.sessions.logout(ctx.state.user, requestMeta(ctx));
    // A browser in cookie mode loses its refresh cookie too; for other clients the headers are harmless.
    clearTokenCookies(ctx, tokenCookies);
    ctx.status = 204;
  });

  handle(router, api.listSessions, async (ctx) => {
    ctx.body = { sessions: await services.sessions.list(ctx.state.user.sub, ctx.state.user.sid) };
  });

  handle(router, api.revokeSession, async (ctx, { params }) => {
    await services.sessions.revokeOwn(ctx.state.user.sub, params.id, requestMeta(ctx));
    ctx.status = 204;
  });

  // Stricter than a sign-in's limits: the lockout of the account's address counts every wrong guess.
  handle(router, api.reauthenticate, async (ctx, { body }) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.reauthentication.reauthenticate(ctx.state.user, body, requestMeta(ctx));
  });

  handle(router, api.listDevices, async (ctx) => {
    ctx.body = { devices: await services.devices.list(ctx.state.user.sub) };
  });

  handle(router, api.revokeDevice, async (ctx, { params }) => {
    await services.devices.revokeOwn(ctx.state.user.sub, params.id, requestMeta(ctx));
    ctx.status = 204;
  });

  handle(router, api.changePassword, async (ctx, { body }) => {
    const { sub, sid } = ctx.state.user;
    await services.passwords.change(sub, sid, body.currentPassword, body.newPassword, requestMeta(ctx));
    ctx.status = 204;
  });

  handle(router, api.deactivateAccount, async (ctx, { body }) => {
    await services.accounts.deactivate(ctx.state.user.sub, body.password, requestMeta(ctx));
    ctx.status = 204;
  });

  return router;
}
