import {
  changePasswordBody,
  deactivateBody,
  deviceParams,
  reauthenticateBody,
  sessionParams,
} from '@platform/contracts';
import { authenticatedRouter } from '@platform/http';
import type { AuthServices } from '../app.js';
import { requestMeta } from './context.js';

/**
 * Routes for a signed-in caller: logout, their own sessions and trusted devices, step-up, password
 * change, deactivation. The password change and deactivation carry the password in the body, which
 * is a step-up of its own.
 */
export function sessionRoutes(services: AuthServices) {
  const router = authenticatedRouter();

  router.post('/logout', async (ctx) => {
    await services.sessions.logout(ctx.state.user, requestMeta(ctx));
    ctx.status = 204;
  });

  router.get('/sessions', async (ctx) => {
    ctx.body = { sessions: await services.sessions.list(ctx.state.user.sub, ctx.state.user.sid) };
  });

  router.delete('/sessions/:id', async (ctx) => {
    const { id } = sessionParams.parse(ctx.params);
    await services.sessions.revokeOwn(ctx.state.user.sub, id, requestMeta(ctx));
    ctx.status = 204;
  });

  // Stricter than a sign-in's limits: the lockout of the account's address counts every wrong guess.
  router.post('/account/reauthenticate', async (ctx) => {
    const proof = reauthenticateBody.parse(ctx.request.body);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = await services.reauthentication.reauthenticate(ctx.state.user, proof, requestMeta(ctx));
  });

  router.get('/account/devices', async (ctx) => {
    ctx.body = { devices: await services.devices.list(ctx.state.user.sub) };
  });

  router.delete('/account/devices/:id', async (ctx) => {
    const { id } = deviceParams.parse(ctx.params);
    await services.devices.revokeOwn(ctx.state.user.sub, id, requestMeta(ctx));
    ctx.status = 204;
  });

  router.post('/password/change', async (ctx) => {
    const body = changePasswordBody.parse(ctx.request.body);
    const { sub, sid } = ctx.state.user;
    await services.passwords.change(sub, sid, body.currentPassword, body.newPassword, requestMeta(ctx));
    ctx.status = 204;
  });

  router.post('/account/deactivate', async (ctx) => {
    const body = deactivateBody.parse(ctx.request.body);
    await services.accounts.deactivate(ctx.state.user.sub, body.password, requestMeta(ctx));
    ctx.status = 204;
  });

  return router;
}
