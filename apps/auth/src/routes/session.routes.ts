import { authenticatedRouter } from '@platform/http';
import type { AuthServices } from '../app.js';
import { sessionParams } from './schemas.js';

/** Routes for a signed-in caller: logout and their own sessions. */
export function sessionRoutes(services: AuthServices) {
  const router = authenticatedRouter();

  router.post('/logout', async (ctx) => {
    await services.sessions.logout(ctx.state.user);
    ctx.status = 204;
  });

  router.get('/sessions', async (ctx) => {
    ctx.body = { sessions: await services.sessions.list(ctx.state.user.sub, ctx.state.user.sid) };
  });

  router.delete('/sessions/:id', async (ctx) => {
    const { id } = sessionParams.parse(ctx.params);
    await services.sessions.revokeOwn(ctx.state.user.sub, id);
    ctx.status = 204;
  });

  return router;
}
